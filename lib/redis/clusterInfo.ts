import { ReplyParseError } from './errors';

/** CLUSTER INFO fields; numbers where the value is numeric, the rest as text (cluster_state is "ok" | "fail"). */
export type ClusterInfo = Record<string, string | number>;

export function parseClusterInfo(text: string): ClusterInfo {
  const info: ClusterInfo = {};
  text.split(/\r?\n/).forEach((line, i) => {
    if (line.trim() === '') return;
    const colon = line.indexOf(':');
    if (colon <= 0)
      throw new ReplyParseError('CLUSTER INFO', `not a field: ${JSON.stringify(line.slice(0, 80))}`, i + 1);
    const value = line.slice(colon + 1).trim();
    info[line.slice(0, colon)] = /^-?\d+(\.\d+)?$/.test(value) ? Number(value) : value;
  });
  if (typeof info.cluster_state !== 'string') throw new ReplyParseError('CLUSTER INFO', 'no cluster_state field');
  return info;
}
