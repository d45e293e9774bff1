import crypto from 'node:crypto';
import zlib from 'node:zlib';

/**
 * Slack carries our data back to us in a few short strings (a button's value: 2,000 characters,
 * an option's value: 150, a block id: 255, a modal's private_metadata: 3,000). Small values travel
 * as JSON, larger ones compressed; what still does not fit is kept here and the string names it.
 * Kept values live in memory: after a restart an old control answers "gone" through the core.
 */
export class Packer {
  private readonly kept = new Map<string, string>();

  constructor(private readonly maxKept = 50_000) {}

  pack(value: unknown, limit: number): string {
    const json = JSON.stringify(value);
    if (json.length + 1 <= limit) return `j${json}`;
    const z = `z${zlib.deflateRawSync(json).toString('base64url')}`;
    if (z.length <= limit) return z;
    const key = crypto.createHash('sha256').update(json).digest('base64url').slice(0, 24);
    if (this.kept.size >= this.maxKept) this.kept.delete(this.kept.keys().next().value!);
    this.kept.set(key, json);
    return `h${key}`;
  }

  unpack<T>(text: string | undefined): T | undefined {
    if (!text) return undefined;
    try {
      if (text[0] === 'j') return JSON.parse(text.slice(1)) as T;
      if (text[0] === 'z') return JSON.parse(zlib.inflateRawSync(Buffer.from(text.slice(1), 'base64url')).toString('utf8')) as T;
      if (text[0] === 'h') {
        const json = this.kept.get(text.slice(1));
        return json === undefined ? undefined : (JSON.parse(json) as T);
      }
    } catch {
      return undefined;
    }
    return undefined;
  }
}
