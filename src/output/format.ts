import { dump } from 'js-yaml';

export type DataFormat = 'json' | 'yaml';

/** Structured output for scripts; keys keep the order the caller built them in. */
export function formatData(data: unknown, format: DataFormat): string {
  return format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : dump(data, { lineWidth: -1, noRefs: true });
}
