import 'reflect-metadata';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { printSortedSchema } from '../src/schema';

/** Writes schema/schema.graphql, the SDL clients and the snapshot test read. */
async function main() {
  const file = path.join(__dirname, '..', 'schema', 'schema.graphql');
  writeFileSync(file, await printSortedSchema());
  console.log(`wrote ${path.relative(process.cwd(), file)}`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
