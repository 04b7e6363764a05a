// The Prometheus text-format parser the metrics journey checks /metrics with (a devDependency without types).
declare module "parse-prometheus-text-format" {
  type Sample = { labels: Record<string, string>; value: string; buckets?: Record<string, string>; count?: string };
  export default function parsePrometheusTextFormat(
    text: string,
  ): { name: string; help: string; type: string; metrics: Sample[] }[];
}
