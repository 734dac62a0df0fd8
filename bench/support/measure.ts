import autocannon from 'autocannon';

export interface Measurement {
  label: string;
  path: string;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  requests: number;
  failures: number;
}

export interface Target {
  label: string;
  /** One path, or several that each connection takes in turn. */
  paths: string[];
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

async function fire(origin: string, target: Target, seconds: number, connections: number) {
  const latencies: number[] = [];
  let failures = 0;
  const instance = autocannon({
    url: origin,
    connections,
    duration: seconds,
    timeout: 10,
    requests: target.paths.map((path) => ({ method: 'GET', path })),
  });
  // Every response time, so p95 is exact (autocannon's summary has p90 and p97.5 but no p95).
  instance.on('response', (_client: unknown, status: number, _bytes: number, ms: number) => {
    latencies.push(ms);
    if (status !== 200) failures++;
  });
  const result = await instance;
  return { result, latencies, failures: failures + result.errors + result.timeouts };
}

/** Warms a target up, then loads it for `seconds` with `connections` concurrent connections. */
export async function measure(
  origin: string,
  target: Target,
  options: { warmup: number; seconds: number; connections: number },
): Promise<Measurement> {
  await fire(origin, target, options.warmup, options.connections);
  const { result, latencies, failures } = await fire(origin, target, options.seconds, options.connections);
  latencies.sort((a, b) => a - b);
  return {
    label: target.label,
    path: target.paths.length === 1 ? (target.paths[0] as string) : `${target.paths.length} queries`,
    requestsPerSecond: result.requests.average,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    requests: latencies.length,
    failures,
  };
}
