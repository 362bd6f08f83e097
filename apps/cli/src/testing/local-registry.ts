// A registry on 127.0.0.1 for installing the packed CLI as users do (`npm install -g`), without the
// network: it serves the package's tarball and every dependency its lock (npm-shrinkwrap.json) names,
// the dependencies' tarballs straight from the npm cache that `npm ci` filled (found by their
// integrity). A dependency missing from that cache is a 404 naming it.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';

interface LockEntry {
  readonly version: string;
  readonly integrity: string;
  readonly [field: string]: unknown;
}

/** Fields of a lock entry that a registry's version document has too (what npm needs to place and build it). */
const MANIFEST_FIELDS = ['dependencies', 'optionalDependencies', 'peerDependencies', 'peerDependenciesMeta', 'bin', 'engines', 'os', 'cpu', 'libc', 'hasInstallScript', 'license'];

/** Where cacache keeps a tarball's bytes: content-v2/<algorithm>/<hex digest split 2/2/rest>. */
const contentPath = (cacheDir: string, integrity: string): string => {
  const [algorithm, base64] = integrity.split(' ')[0].split('-');
  const hex = Buffer.from(base64, 'base64').toString('hex');
  return join(cacheDir, '_cacache', 'content-v2', algorithm, hex.slice(0, 2), hex.slice(2, 4), hex.slice(4));
};

export interface LocalRegistry {
  readonly url: string;
  /** Requests it could not answer (a dependency not in the cache, a package it does not know). */
  readonly misses: string[];
  close(): Promise<void>;
}

/** Serves `tarball` (a packed package with an npm-shrinkwrap.json) and its locked dependencies. */
export const startLocalRegistry = async (options: {
  readonly tarball: string;
  readonly packageJson: { readonly name: string; readonly version: string };
  readonly shrinkwrap: { readonly packages: Record<string, LockEntry> };
  readonly npmCacheDir: string;
}): Promise<LocalRegistry> => {
  const { name, version } = options.packageJson;
  const tarballBytes = readFileSync(options.tarball);
  const integrity = `sha512-${createHash('sha512').update(tarballBytes).digest('base64')}`;
  // name -> version -> lock entry (a package may be locked at several versions in different places)
  const locked = new Map<string, Map<string, LockEntry>>();
  for (const [key, entry] of Object.entries(options.shrinkwrap.packages)) {
    if (!key) continue;
    const dependencyName = key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const versions = locked.get(dependencyName) ?? new Map<string, LockEntry>();
    versions.set(entry.version, entry);
    locked.set(dependencyName, versions);
  }
  const misses: string[] = [];
  let base = '';
  const tarballFile = (pkg: string, v: string) => `${pkg.split('/').pop()}-${v}.tgz`;
  const packument = (pkg: string) => {
    if (pkg === name) {
      // What the public registry says of a package published with a shrinkwrap: npm then installs the locked tree.
      const doc = { ...options.packageJson, _hasShrinkwrap: true, dist: { tarball: `${base}/${pkg}/-/${tarballFile(pkg, version)}`, integrity } };
      return { name: pkg, 'dist-tags': { latest: version }, versions: { [version]: doc } };
    }
    const versions = locked.get(pkg);
    if (!versions) return undefined;
    const docs = Object.fromEntries(
      [...versions].map(([v, entry]) => [
        v,
        {
          name: pkg,
          version: v,
          ...Object.fromEntries(MANIFEST_FIELDS.filter((f) => entry[f] !== undefined).map((f) => [f, entry[f]])),
          dist: { tarball: `${base}/${pkg}/-/${tarballFile(pkg, v)}`, integrity: entry.integrity },
        },
      ]),
    );
    return { name: pkg, 'dist-tags': { latest: [...versions.keys()].pop() }, versions: docs };
  };

  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent((req.url ?? '/').split('?')[0]).slice(1);
    const tarballAt = path.indexOf('/-/');
    if (tarballAt >= 0) {
      const pkg = path.slice(0, tarballAt);
      const file = path.slice(tarballAt + 3);
      if (pkg === name && file === tarballFile(name, version)) {
        res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(tarballBytes);
        return;
      }
      const entry = [...(locked.get(pkg)?.values() ?? [])].find((e) => file === tarballFile(pkg, e.version));
      const content = entry && contentPath(options.npmCacheDir, entry.integrity);
      if (!content || !existsSync(content)) {
        misses.push(`${pkg} ${file}${entry ? ' (not in the npm cache: run npm ci)' : ''}`);
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      createReadStream(content).pipe(res);
      return;
    }
    const doc = packument(path);
    if (!doc) {
      misses.push(path);
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"error":"not found"}');
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(doc));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, misses, close: () => new Promise((resolve) => server.close(() => resolve())) };
};
