// Type-checks the core entry's declarations as a CommonJS TypeScript consumer sees them.
declare const console: { log(...args: unknown[]): void };
import wg = require('worldgate/core');

const v: string = wg.version();
const e = new wg.WorldgateError('x', { code: 'E_SCHEMA', path: '/a' });
const code: wg.Code = e.code;
console.log(v, code, wg.validateSnapshot('{}'));
