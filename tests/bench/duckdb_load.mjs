// duckdb_load.mjs: the benchmark's comparison: DuckDB (2 threads) loading a
// CSV file into a table of its own database file, as
//   node duckdb_load.mjs FILE.csv DB.duckdb
// The database file is removed first, so each run starts empty.
import { DuckDBInstance } from '@duckdb/node-api';
import { rmSync } from 'node:fs';

const [csv, db] = process.argv.slice(2);
if (!csv || !db) {
  console.error('usage: node duckdb_load.mjs FILE.csv DB.duckdb');
  process.exit(64);
}
rmSync(db, { force: true });
rmSync(`${db}.wal`, { force: true });
const instance = await DuckDBInstance.create(db, { threads: '2' });
const connection = await instance.connect();
const path = csv.replaceAll("'", "''");
await connection.run(`create table extract as select * from read_csv('${path}')`);
const result = await connection.runAndReadAll('select count(*) from extract');
console.log(`${result.getRows()[0][0]} rows loaded`);
connection.closeSync();
instance.closeSync();
