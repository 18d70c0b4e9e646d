mod commands;
fn main() {}
