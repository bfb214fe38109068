// What V8 charges for the shape of a verdicts answer alone, with no engine: N strategies' objects
// `{status, verdict, selected, rank, weight}` put into one object by id (as the package's reader
// builds `strategies`), built three ways, and the caller's reading of them (`for…in`, then each
// strategy's verdict, rank and weight, as benches/js/policy.mjs reads). Past ~1,000 members V8
// keeps such an object as a dictionary, whatever builds it. CPU-independent of the engine: the
// floor any plain-object answer pays (BENCHMARKS.policy.md, session 17). Median ms of R rounds.
//   node benches/js/answer-floor.mjs [N=5000] [R=200]
const n = Number(process.argv[2] ?? 5000);
const rounds = Number(process.argv[3] ?? 200);
const ids = Array.from({ length: n }, (_, i) => `strategy-${String((i * 7919) % 100000).padStart(5, '0')}`);
const verdict = (i) => ({ status: 'pass', verdict: 'valid', selected: (i & 1) === 0, rank: i + 1, weight: null });
const builders = {
  // the package's way: one member added per strategy
  'assigned one by one': () => {
    const o = {};
    for (let i = 0; i < n; i += 1) o[ids[i]] = verdict(i);
    return o;
  },
  'Object.fromEntries': () => {
    const entries = new Array(n);
    for (let i = 0; i < n; i += 1) entries[i] = [ids[i], verdict(i)];
    return Object.fromEntries(entries);
  },
  // every member present before the values are stored (no growth while storing)
  'JSON.parse of the keys, then stored': () => {
    const o = JSON.parse(`{${ids.map((id) => `${JSON.stringify(id)}:0`).join(',')}}`);
    for (let i = 0; i < n; i += 1) o[ids[i]] = verdict(i);
    return o;
  },
};
function read(strategies) {
  let sink = 0;
  for (const id in strategies) {
    const s = strategies[id];
    if (s.verdict === 'valid') sink += 1;
    sink += (s.rank ?? 0) + (s.weight ?? 0);
  }
  return sink;
}
const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];
const ms = (t) => (t.user + t.system) / 1000;
for (const [name, build] of Object.entries(builders)) {
  const built = [], reads = [];
  for (let r = 0; r < rounds; r += 1) {
    const t0 = process.cpuUsage();
    const o = build();
    const t1 = process.cpuUsage();
    read(o);
    reads.push(ms(process.cpuUsage(t1)));
    built.push(ms(process.cpuUsage(t0)) - reads[reads.length - 1]);
  }
  console.log(`${n} strategies, ${name.padEnd(36)} build ${median(built).toFixed(3)} ms, read ${median(reads).toFixed(3)} ms`);
}
