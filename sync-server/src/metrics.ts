// Prometheus text-format metrics kept in memory per instance (each instance behind a load balancer is
// scraped on its own). Small enough not to need a client library.

const BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

interface Histogram {
  counts: number[];
  sum: number;
  count: number;
}

const esc = (v: string) => v.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
const labels = (l: Record<string, string>) =>
  '{' +
  Object.entries(l)
    .map(([k, v]) => `${k}="${esc(v)}"`)
    .join(',') +
  '}';

export class Metrics {
  private requests = new Map<string, number>();
  private durations = new Map<string, Histogram>();
  private records = { accepted: 0, duplicate: 0 };
  private readonly started = Date.now();
  inflight = 0;

  observe(method: string, route: string, status: number, seconds: number): void {
    const key = labels({ method, route, status: String(status) });
    this.requests.set(key, (this.requests.get(key) ?? 0) + 1);
    const hkey = labels({ method, route });
    let h = this.durations.get(hkey);
    if (!h) this.durations.set(hkey, (h = { counts: BUCKETS.map(() => 0), sum: 0, count: 0 }));
    BUCKETS.forEach((b, i) => {
      if (seconds <= b) h.counts[i]++;
    });
    h.sum += seconds;
    h.count++;
  }

  recordsPushed(accepted: number, duplicates: number): void {
    this.records.accepted += accepted;
    this.records.duplicate += duplicates;
  }

  render(dbUp: boolean): string {
    const out: string[] = [];
    out.push('# HELP sightline_http_requests_total HTTP requests by method, route and status.', '# TYPE sightline_http_requests_total counter');
    for (const [k, v] of this.requests) out.push(`sightline_http_requests_total${k} ${v}`);
    out.push('# HELP sightline_http_request_duration_seconds Request duration.', '# TYPE sightline_http_request_duration_seconds histogram');
    for (const [k, h] of this.durations) {
      const base = k.slice(1, -1);
      BUCKETS.forEach((b, i) => out.push(`sightline_http_request_duration_seconds_bucket{${base},le="${b}"} ${h.counts[i]}`));
      out.push(`sightline_http_request_duration_seconds_bucket{${base},le="+Inf"} ${h.count}`);
      out.push(`sightline_http_request_duration_seconds_sum${k} ${h.sum}`, `sightline_http_request_duration_seconds_count${k} ${h.count}`);
    }
    out.push('# HELP sightline_sync_records_total Pushed records: stored now, or already stored (retries).', '# TYPE sightline_sync_records_total counter');
    out.push(
      `sightline_sync_records_total{result="accepted"} ${this.records.accepted}`,
      `sightline_sync_records_total{result="duplicate"} ${this.records.duplicate}`,
    );
    out.push(
      '# HELP sightline_http_requests_in_flight Requests being handled now.',
      '# TYPE sightline_http_requests_in_flight gauge',
      `sightline_http_requests_in_flight ${this.inflight}`,
    );
    out.push('# HELP sightline_db_up 1 when the database answered the last check.', '# TYPE sightline_db_up gauge', `sightline_db_up ${dbUp ? 1 : 0}`);
    out.push('# HELP sightline_process_start_time_seconds Start time of this instance.', '# TYPE sightline_process_start_time_seconds gauge');
    out.push(`sightline_process_start_time_seconds ${Math.floor(this.started / 1000)}`);
    const mem = process.memoryUsage();
    out.push(
      '# HELP sightline_process_resident_memory_bytes Resident memory.',
      '# TYPE sightline_process_resident_memory_bytes gauge',
      `sightline_process_resident_memory_bytes ${mem.rss}`,
    );
    return out.join('\n') + '\n';
  }
}
