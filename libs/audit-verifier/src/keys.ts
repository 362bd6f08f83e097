// The public keys a verification is given: PEM files, or a folder of them (an auditor's key ring of
// every key the provider has signed with, across rotations). Each must be an Ed25519 public key; a
// key that cannot be read is the caller's error, reported before anything is checked.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { toPublicKey } from '@rampart/audit';
import { VerifyInputError } from './folder';

export const readPublicKeys = (paths: readonly string[]): string[] => {
  const files: string[] = [];
  for (const path of paths) {
    let isFolder: boolean;
    try {
      isFolder = statSync(path).isDirectory();
    } catch (error) {
      throw new VerifyInputError(`cannot read the public key ${path}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    if (!isFolder) files.push(path);
    else {
      const pems = readdirSync(path).filter((name) => name.endsWith('.pem')).sort();
      if (pems.length === 0) throw new VerifyInputError(`${path} holds no .pem file: give public key files, or a folder of them`);
      files.push(...pems.map((name) => join(path, name)));
    }
  }
  return files.map((file) => {
    let pem: string;
    try {
      pem = readFileSync(file, 'utf8');
    } catch (error) {
      throw new VerifyInputError(`cannot read the public key ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    try {
      toPublicKey(pem);
    } catch (error) {
      throw new VerifyInputError(`${file} is not an Ed25519 public key (PEM): ${(error as Error).message}`);
    }
    return pem;
  });
};
