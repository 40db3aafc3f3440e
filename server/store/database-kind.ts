/** `postgres://…` and `postgresql://…` name a PostgreSQL database; anything else is the path of a SQLite file. */
export function isPostgresUrl(db: string): boolean {
  return /^postgres(ql)?:\/\//i.test(db);
}
