// URLs of a run's resources (relative to the API root), shared by the router and the World object.

const enc = encodeURIComponent;

export function runBase(world, strategy, run) {
  return `/worlds/${enc(world)}/strategies/${enc(strategy)}/runs/${enc(run)}`;
}

export function links(world, strategy, run, snapshotId) {
  const base = runBase(world, strategy, run);
  const out = { status: base, metrics: `${base}/metrics`, history: `${base}/history` };
  if (snapshotId) out.snapshot = `/worlds/${enc(world)}/snapshots/${enc(snapshotId)}`;
  return out;
}
