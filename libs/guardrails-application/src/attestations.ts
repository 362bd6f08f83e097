// Attestations' use cases, the ones every edge calls (GraphQL, CLI, console, demo): record one with
// its evidence, approve or reject it where the tenant's policy wants a second person, revoke it,
// and the worker's sweep that records expiry. Tenancy's standing rule first, then the attestation's
// decider. Evidence files are kept by content hash per tenant (`EvidenceStore`); an attestation
// names only digests, and only of files the tenant has stored.
import { createHash, randomUUID } from 'node:crypto';
import { handleCommand, reject, type CommandContext, type CommandOutcome, type EventStore, type TenantStanding } from '@rampart/event-sourcing';
import { migrate, quoteIdent, type SqlClient } from '@rampart/event-store';
import {
  attestationDecider,
  attestationStreamId,
  builtInCatalog,
  evidenceFileNameProblem,
  evolveTenantGuardrails,
  GUARDRAILS_COMMAND_INTENTS,
  initialTenantGuardrails,
  isAttestationId,
  isTenantGuardrailsEvent,
  tenantGuardrailsStreamId,
  type AttestationCommand,
  type AttestationEntry,
  type AttestationEvent,
  type EvidenceFileRef,
  type StandardsLookup,
} from '@rampart/guardrails';
import { READ_MODEL_SCHEMA, type Stores } from '@rampart/runtime';

/** One evidence file at most this big: a policy document, a screenshot, a signed report; not a data dump. */
export const MAX_EVIDENCE_BYTES = 10 * 1024 * 1024;
const MEDIA_TYPE = /^[a-z0-9][a-z0-9!#$&^_.+-]{0,126}\/[a-z0-9][a-z0-9!#$&^_.+-]{0,126}$/i;

export class EvidenceError extends Error {
  constructor(
    readonly code: 'evidence-too-large' | 'evidence-empty' | 'invalid-media-type' | 'invalid-file-name',
    message: string,
  ) {
    super(message);
    this.name = 'EvidenceError';
  }
}

export interface StoredEvidence extends EvidenceFileRef {
  readonly storedAt: string;
}

/**
 * Where evidence files live: a schema of their own beside the read models, because unlike them it is
 * no projection — nothing rebuilds it from the log (which holds only digests) — and a backup must
 * take it with the events (docs/operations.md, "Backup and restore").
 */
export const EVIDENCE_SCHEMA = 'rampart_evidence';

/**
 * Evidence files by content hash, per tenant: the same bytes stored twice are one file, and one
 * tenant's digest never finds another tenant's file.
 */
export class EvidenceStore {
  private constructor(
    private readonly sql: SqlClient,
    private readonly table: string,
  ) {}

  static async open(sql: SqlClient, schema = EVIDENCE_SCHEMA): Promise<EvidenceStore> {
    const table = `${quoteIdent(schema)}.evidence_files`;
    await migrate(
      sql,
      `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(schema)};
       CREATE TABLE IF NOT EXISTS ${table} (
         tenant_id text NOT NULL, sha256 text NOT NULL, name text NOT NULL, media_type text NOT NULL,
         size bigint NOT NULL, content bytea NOT NULL, stored_at timestamptz NOT NULL DEFAULT now(),
         PRIMARY KEY (tenant_id, sha256))`,
    );
    return new EvidenceStore(sql, table);
  }

  /** Stores the file (once per tenant and content) and says how an attestation names it. */
  async put(tenantId: string, content: Uint8Array, file: { readonly name: string; readonly mediaType?: string }): Promise<StoredEvidence> {
    if (content.byteLength === 0) throw new EvidenceError('evidence-empty', 'the file is empty');
    if (content.byteLength > MAX_EVIDENCE_BYTES) throw new EvidenceError('evidence-too-large', `at most ${MAX_EVIDENCE_BYTES / 1024 / 1024} MB per file`);
    const name = file.name.trim();
    const nameProblem = evidenceFileNameProblem(name);
    if (nameProblem) throw new EvidenceError('invalid-file-name', nameProblem);
    const mediaType = (file.mediaType ?? 'application/octet-stream').split(';')[0].trim().toLowerCase();
    if (!MEDIA_TYPE.test(mediaType)) throw new EvidenceError('invalid-media-type', `${mediaType} is not a media type`);
    const sha256 = createHash('sha256').update(content).digest('hex');
    const { rows } = await this.sql.query<{ name: string; media_type: string; stored_at: Date | string }>(
      `INSERT INTO ${this.table} (tenant_id, sha256, name, media_type, size, content) VALUES ($1, $2, $3, $4, $5, $6)
       ON CONFLICT (tenant_id, sha256) DO UPDATE SET tenant_id = EXCLUDED.tenant_id
       RETURNING name, media_type, stored_at`,
      [tenantId, sha256, name, mediaType, content.byteLength, Buffer.from(content.buffer, content.byteOffset, content.byteLength)],
    );
    // stored before under another name: the content is the same file, the name given now is this attestation's to use
    return { sha256, name, mediaType: rows[0].media_type, size: content.byteLength, storedAt: new Date(rows[0].stored_at).toISOString() };
  }

  /** The files of these digests the tenant has stored, by digest. */
  async find(tenantId: string, digests: readonly string[]): Promise<Map<string, StoredEvidence>> {
    if (digests.length === 0) return new Map();
    const { rows } = await this.sql.query<{ sha256: string; name: string; media_type: string; size: string | number; stored_at: Date | string }>(
      `SELECT sha256, name, media_type, size, stored_at FROM ${this.table} WHERE tenant_id = $1 AND sha256 = ANY($2::text[])`,
      [tenantId, [...digests]],
    );
    return new Map(rows.map((r) => [r.sha256, { sha256: r.sha256, name: r.name, mediaType: r.media_type, size: Number(r.size), storedAt: new Date(r.stored_at).toISOString() }]));
  }

  /** The file's bytes, or undefined when the tenant has no file with that digest. */
  async read(tenantId: string, sha256: string): Promise<(StoredEvidence & { readonly content: Buffer }) | undefined> {
    const { rows } = await this.sql.query<{ name: string; media_type: string; size: string | number; stored_at: Date | string; content: Uint8Array }>(
      `SELECT name, media_type, size, stored_at, content FROM ${this.table} WHERE tenant_id = $1 AND sha256 = $2`,
      [tenantId, sha256],
    );
    const r = rows[0];
    if (!r) return undefined;
    return { sha256, name: r.name, mediaType: r.media_type, size: Number(r.size), storedAt: new Date(r.stored_at).toISOString(), content: Buffer.from(r.content) };
  }
}

/** The standards attestations are for: Azure's regulatory standards of the built-in catalog. */
export const builtInStandards = (): StandardsLookup => ({ get: (id) => builtInCatalog().standards?.get(id) });

export interface AttestationDeps {
  readonly eventStore: EventStore;
  readonly standing: TenantStanding;
  readonly evidence: EvidenceStore;
  readonly standards?: StandardsLookup;
}

/** What a caller asks to record; whether a second person is needed is the tenant's policy, read here. */
export type RecordAttestationInput = Omit<Extract<AttestationCommand, { kind: 'RecordAttestation' }>, 'kind' | 'approvalRequired' | 'evidence' | 'attestationId' | 'now'> & {
  /** Default: a new one. Given, a retry of the same request is refused as a duplicate rather than recorded twice. */
  readonly attestationId?: string;
  /** Digests of files the tenant stored (EvidenceStore.put); the names, types and sizes are the stored ones unless named here. */
  readonly evidence: readonly { readonly sha256: string; readonly name?: string }[];
};

const rejected = (code: string, message: string): CommandOutcome<AttestationEvent> => ({ ok: false, rejection: reject(code, message), attempts: 0 });

/** A new attestation id: short, unguessable enough, and valid as a stream id. */
export const newAttestationId = (): string => `att-${randomUUID().slice(0, 13).replace('-', '')}`;

/** Records an attestation: tenancy's standing, the tenant's attestation policy, the stored evidence, then the decider. */
export const recordAttestation = async (
  deps: AttestationDeps,
  context: CommandContext,
  input: RecordAttestationInput,
): Promise<CommandOutcome<AttestationEvent> & { readonly attestationId: string }> => {
  const attestationId = input.attestationId ?? newAttestationId();
  const refused = await deps.standing(context.tenantId, GUARDRAILS_COMMAND_INTENTS.RecordAttestation);
  if (refused) return { ok: false, rejection: refused, attempts: 0, attestationId };
  const stored = await deps.evidence.find(context.tenantId, input.evidence.map((e) => e.sha256.toLowerCase()));
  const missing = input.evidence.filter((e) => !stored.has(e.sha256.toLowerCase()));
  if (missing.length) return { ...rejected('unknown-evidence', `no stored evidence file ${missing.map((m) => m.sha256).join(', ')} for tenant ${context.tenantId}: upload it first`), attestationId };
  const policy = (await deps.eventStore.readStream(tenantGuardrailsStreamId(context.tenantId))).filter(isTenantGuardrailsEvent).reduce(evolveTenantGuardrails, initialTenantGuardrails());
  const evidence = input.evidence.flatMap((e) => {
    const file = stored.get(e.sha256.toLowerCase());
    return file ? [{ sha256: file.sha256, name: e.name ?? file.name, mediaType: file.mediaType, size: file.size }] : [];
  });
  const outcome = await handleCommand(
    deps.eventStore,
    attestationDecider(deps.standards ?? builtInStandards()),
    attestationStreamId(context.tenantId, attestationId),
    {
      kind: 'RecordAttestation',
      attestationId,
      standardId: input.standardId,
      controlId: input.controlId,
      statement: input.statement,
      evidence,
      attestedBy: input.attestedBy,
      validUntil: input.validUntil,
      approvalRequired: policy.attestationApprovalRequired,
      now: context.now,
    },
    context,
  );
  return { ...outcome, attestationId };
};

/** Approve, reject, revoke (people) or expire (the sweep) an attestation. */
export const changeAttestation = async (
  deps: Omit<AttestationDeps, 'evidence'>,
  context: CommandContext,
  attestationId: string,
  command: Exclude<AttestationCommand, { kind: 'RecordAttestation' }>,
): Promise<CommandOutcome<AttestationEvent>> => {
  if (!isAttestationId(attestationId)) return rejected('unknown-attestation', `no attestation ${attestationId.slice(0, 80)}`);
  const refused = await deps.standing(context.tenantId, GUARDRAILS_COMMAND_INTENTS[command.kind]);
  if (refused) return { ok: false, rejection: refused, attempts: 0 };
  return handleCommand(deps.eventStore, attestationDecider(deps.standards ?? builtInStandards()), attestationStreamId(context.tenantId, attestationId), command, context);
};

const SWEEP = { kind: 'system', id: 'attestation-expiry' } as const;

/**
 * Records the expiry of every attestation past its validUntil (held or still awaiting approval).
 * Safe on every worker at once: a second worker's expiry of the same one is refused by the decider.
 */
export const expireAttestations = async (
  stores: Pick<Stores, 'eventStore' | 'readModels'>,
  options: { now?: Date; schema?: string; standards?: StandardsLookup } = {},
): Promise<{ tenantId: string; attestationId: string }[]> => {
  const now = options.now ?? new Date();
  const { rows } = await stores.readModels.query<{ doc: AttestationEntry }>(
    `SELECT doc FROM "${options.schema ?? READ_MODEL_SCHEMA}".attestations
     WHERE doc->>'status' IN ('active', 'pending') AND (doc->>'validUntil')::timestamptz <= $1 ORDER BY tenant_id, id`,
    [now.toISOString()],
  );
  const expired: { tenantId: string; attestationId: string }[] = [];
  for (const { doc } of rows) {
    // recording what already happened: no standing rule holds an expiry back (an offboarded tenant's lapse too)
    const outcome = await handleCommand(
      stores.eventStore,
      attestationDecider(options.standards ?? builtInStandards()),
      attestationStreamId(doc.tenantId, doc.attestationId),
      { kind: 'ExpireAttestation', now },
      { tenantId: doc.tenantId, actor: SWEEP, correlationId: randomUUID(), causationId: null, now },
    );
    if (outcome.ok) expired.push({ tenantId: doc.tenantId, attestationId: doc.attestationId });
  }
  return expired;
};

/** A tenant's attestations, newest first: of one standard, or all. */
export const listAttestations = async (
  stores: Pick<Stores, 'readModels'>,
  tenantId: string,
  filter: { standardId?: string; status?: AttestationEntry['status']; limit?: number } = {},
  schema = READ_MODEL_SCHEMA,
): Promise<AttestationEntry[]> => {
  const { rows } = await stores.readModels.query<{ doc: AttestationEntry }>(
    `SELECT doc FROM "${schema}".attestations WHERE tenant_id = $1 AND ($2::text IS NULL OR doc->>'standardId' = $2) AND ($3::text IS NULL OR doc->>'status' = $3)
     ORDER BY doc->>'attestedAt' DESC, id LIMIT $4`,
    [tenantId, filter.standardId ?? null, filter.status ?? null, filter.limit ?? null],
  );
  return rows.map((r) => r.doc);
};
