//! TODO(skeleton): bundle
