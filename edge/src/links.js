// URLs of a run's resources (relative to the API root): the engine builds them (`run::run_links`).

import { runLinks } from "./engine.js";

export function links(world, strategy, run, snapshotId) {
  return runLinks(world, strategy, run, snapshotId ?? null);
}
