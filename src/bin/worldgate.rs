//! The `worldgate` command-line tool.

fn main() {
    println!("worldgate {}", worldgate::VERSION);
}
