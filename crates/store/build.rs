//! `sqlx::migrate!` embeds the migration files when the crate compiles; without this a new
//! migration file would not rebuild the crate, and the store would keep migrating to the old
//! schema.

fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
