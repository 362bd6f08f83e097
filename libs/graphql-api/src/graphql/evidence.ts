// Evidence files as GraphQL shows them, and the deployment's evidence store the resolvers and the
// evidence routes share.
import { Field, Int, ObjectType } from '@nestjs/graphql';
import { EvidenceStore } from '@rampart/guardrails-application';
import type { Stores } from '@rampart/runtime';
import { InheritsAuthorization } from '../authorization/rules';

const evidenceStores = new WeakMap<object, Promise<EvidenceStore>>();
/** The deployment's evidence store, opened once per database. */
export const evidenceStoreOf = (stores: Pick<Stores, 'readModels'>): Promise<EvidenceStore> => {
  let store = evidenceStores.get(stores.readModels);
  if (!store) {
    store = EvidenceStore.open(stores.readModels);
    store.catch(() => evidenceStores.delete(stores.readModels));
    evidenceStores.set(stores.readModels, store);
  }
  return store;
};

/** Where the API serves an evidence file (GET, authenticated like every route). */
export const evidencePath = (tenantId: string, sha256: string): string => `/evidence/${encodeURIComponent(tenantId)}/${sha256}`;

@ObjectType({ description: 'An evidence file an attestation rests on, by content.' })
@InheritsAuthorization()
export class EvidenceFileType {
  @Field({ description: 'Lowercase hex SHA-256 of its bytes: what an auditor checks the file against.' }) sha256!: string;
  @Field() name!: string;
  @Field() mediaType!: string;
  @Field(() => Int) size!: number;
  @Field({ description: 'GET it with the same credentials (the file, as an attachment).' }) downloadPath!: string;
}

