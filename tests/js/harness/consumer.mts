// Type-checks the package's declarations as an ESM TypeScript consumer sees them.
declare const console: { log(...args: unknown[]): void };
import {
  init, ready, schemaFor, schemaNames, validateSnapshot, version, WorldgateError,
  type Code, type Error as WireError, type Snapshot, type EvaluationMetrics, type Num,
} from 'worldgate';

await init();
await ready;
const v: string = version();
const names: string[] = schemaNames();
const schema: string | undefined = schemaFor('snapshot');
const report = validateSnapshot('{}');
const inf: Num = '+inf';
const metrics: EvaluationMetrics = {};
declare const snapshot: Snapshot;
const id: string = snapshot.snapshot_id;
try {
  version();
} catch (error) {
  if (error instanceof WorldgateError) {
    const code: Code = error.code;
    const path: string = error.path;
    const help: string | undefined = error.help;
    const all: WireError[] = error.errors;
    console.log(code, path, help, all.length, error.message, error.toJSON());
  }
}
console.log(v, names, schema, report, inf, metrics, id);
