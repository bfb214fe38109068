// Type-checks the package's declarations as a CommonJS TypeScript consumer sees them.
declare const console: { log(...args: unknown[]): void };
import wg = require('worldgate');

const v: string = wg.version();
const e = new wg.WorldgateError('x', { code: 'E_SCHEMA', path: '/a' });
const code: wg.Code = e.code;
console.log(v, code);
