// Resources from a file, streamed (never loaded whole): NDJSON (one resource per line), a JSON
// array of ARM resources, or what `az graph query` prints ({ "data": [...], ... }).
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { JSONParser } from '@streamparser/json';

export type FileFormat = 'ndjson' | 'json-array' | 'az-graph';

/** An item the file held, or a line/element that could not be parsed at all. */
export type FileItem =
  /** `json`: the item's JSON text when the source had it at hand (spares serialising it again to check it). */
  | { readonly ok: true; readonly value: unknown; readonly json?: string }
  | { readonly ok: false; readonly reason: string };

export const detectFormat = async (path: string): Promise<FileFormat> => {
  if (/\.(ndjson|jsonl)$/i.test(path)) return 'ndjson';
  const handle = await open(path, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    const first = buffer.subarray(0, bytesRead).toString('utf8').trimStart()[0];
    if (first === '[') return 'json-array';
    if (first === '{') return 'az-graph';
    throw new Error(`${path} is neither NDJSON (.ndjson/.jsonl), a JSON array, nor \`az graph query\` output`);
  } finally {
    await handle.close();
  }
};

export async function* readResourceFile(path: string, format?: FileFormat): AsyncGenerator<FileItem> {
  const kind = format ?? (await detectFormat(path));
  if (kind === 'ndjson') {
    const lines = createInterface({ input: createReadStream(path, 'utf8'), crlfDelay: Infinity });
    let n = 0;
    for await (const line of lines) {
      n++;
      if (!line.trim()) continue;
      try {
        yield { ok: true, value: JSON.parse(line), json: line };
      } catch (error) {
        yield { ok: false, reason: `line ${n}: ${(error as Error).message}` };
      }
    }
    return;
  }
  // Stream-parse the array elements one by one; a syntax error ends the file (nothing after it can
  // be trusted) and is reported, the elements before it still count.
  const parser = new JSONParser({ paths: [kind === 'json-array' ? '$.*' : '$.data.*'], keepStack: false });
  const ready: FileItem[] = [];
  parser.onValue = ({ value }) => {
    ready.push({ ok: true, value });
  };
  let ended = false; // the parser ends itself when the top-level value closes
  parser.onEnd = () => {
    ended = true;
  };
  try {
    for await (const chunk of createReadStream(path, 'utf8')) {
      parser.write(chunk as string);
      while (ready.length) yield ready.shift() as FileItem;
    }
    if (!ended) parser.end();
  } catch (error) {
    while (ready.length) yield ready.shift() as FileItem;
    yield { ok: false, reason: `invalid JSON: ${(error as Error).message}` };
    return;
  }
  while (ready.length) yield ready.shift() as FileItem;
}

/** Resources already in memory (a push, a generated estate) as the items `ingest` reads. */
export async function* itemsOf(values: Iterable<unknown>): AsyncGenerator<FileItem> {
  for (const value of values) yield { ok: true, value };
}
