// Alert intake: recognises the shapes in which Microsoft Defender for Cloud alerts and Microsoft
// Sentinel incidents and alerts reach Rampart, and maps each to one provider-neutral ExternalAlert.
// Pure: a parsed JSON payload in, values out; refusals are values, never exceptions. The shapes and
// their quirks are described in libs/incidents/corpus/alerts/README.md (the payloads the specs use).

export type ExternalAlertSource = 'defender-for-cloud' | 'sentinel';
export type ExternalAlertKind = 'alert' | 'incident';
export type ExternalAlertSeverity = 'low' | 'medium' | 'high' | 'critical';

/** Which wire shape an alert came in; the same Defender alert can arrive in the first three. */
export type ExternalAlertShape =
  | 'defender-arm' // REST API body (camelCase), also a Resource Graph row (PascalCase properties)
  | 'defender-export' // continuous export / Logic App flat PascalCase record, or a SecurityAlert table row
  | 'defender-activity-log' // Azure Activity Log event "Activate Alert"
  | 'sentinel-incident'
  | 'sentinel-alert'; // Sentinel entity of kind SecurityAlert

export interface ExternalAlertEntity {
  /** Lower-cased entity type as the source names it (ip, host, account, …), or compromised-entity. */
  readonly kind: string;
  readonly name: string;
}

export interface ExternalAlert {
  readonly source: ExternalAlertSource;
  /**
   * Defender reports its security incidents (alerts it correlated) as alerts with isIncident: true;
   * those are 'incident' too, but keep the alert's id.
   */
  readonly kind: ExternalAlertKind;
  /**
   * What to deduplicate on, lower-cased. Defender alerts: the systemAlertId, the one id present in
   * every shape of the same alert (ARM properties.systemAlertId = name, export SystemAlertId, Activity
   * Log correlationId); the ARM `id` is not used, since it depends on the scope it was read at and in
   * Microsoft's own example its last segment differs from the systemAlertId. Sentinel alerts: their
   * systemAlertId. Sentinel incidents: the ARM id. GUID and ARM id casing varies between shapes, so the
   * key is lower-cased.
   */
  readonly externalId: string;
  /** The id the originating product gave the alert, when a Sentinel copy names it (providerAlertId, VendorOriginalId). */
  readonly providerAlertId?: string;
  readonly title: string;
  readonly description: string;
  /** Informational and Low → low, Medium → medium, High → high, Critical → critical (no Microsoft source sends it yet). */
  readonly severity: ExternalAlertSeverity;
  /** The severity as the source spelled it (Informational and Low both map to low). */
  readonly sourceSeverity: string;
  /** As the source says: Active, New, InProgress, Resolved, Dismissed, Closed … */
  readonly status?: string;
  /** When the source generated the alert or created the incident (ISO 8601, UTC). */
  readonly detectedAt: string;
  /** When the detected activity started (alert startTimeUtc, incident firstActivityTimeUtc), when given. */
  readonly activityStartedAt?: string;
  /** Lower-cased ARM ids of the affected Azure resources (ARM ids are case-insensitive). */
  readonly resourceIds: readonly string[];
  readonly entities: readonly ExternalAlertEntity[];
  /** MITRE ATT&CK tactics (Defender's kill-chain intent, Sentinel tactics), without "Unknown". */
  readonly tactics: readonly string[];
  /** MITRE ATT&CK technique and sub-technique ids. */
  readonly techniques: readonly string[];
  readonly remediationSteps: readonly string[];
  readonly productName?: string;
  /** The detection's type (Defender alertType such as VM_EICAR, a Sentinel analytics rule id). */
  readonly alertType?: string;
  /** Portal link (alertUri, alertLink, incidentUrl); https only. */
  readonly link?: string;
  readonly shape: ExternalAlertShape;
  /** The type the payload names itself by, as spelled: ARM `type`, Activity Log operation, table `Type`. */
  readonly rawType?: string;
  /** What the intake cut or could not read (limits below); empty when the alert came through whole. */
  readonly notes: readonly string[];
}

export type ExternalAlertsParsed = { readonly ok: true; readonly alerts: ExternalAlert[] } | { readonly ok: false; readonly reason: string };

/**
 * Bounds on one payload. A list page with more alerts is refused (ask for smaller pages: silently
 * dropping alerts is worse than a loud refusal). Within an alert, longer lists are cut to the limit and
 * longer texts are shortened (ending in "…"), each with a note in `notes`. Ids and links are never cut,
 * since a shortened id would deduplicate wrongly and a shortened URL leads nowhere: an over-long
 * externalId refuses the alert, an over-long resource id or link is dropped with a note.
 */
export const EXTERNAL_ALERT_LIMITS = {
  alertsPerPayload: 100,
  entitiesPerAlert: 50,
  resourceIdsPerAlert: 50,
  /** tactics, techniques, remediation steps, each */
  listItems: 50,
  titleChars: 500,
  descriptionChars: 8000,
  /** a remediation step, an entity name, status, product name … */
  textChars: 2000,
  idChars: 1024,
} as const;

const L = EXTERNAL_ALERT_LIMITS;
/** Names and codes (entity kinds, tactics, technique ids, severity) are short; anything longer is cut here. */
const SHORT_CHARS = 100;
const UNKNOWN_SHAPE = 'not a Defender for Cloud alert or Sentinel incident';
const DEFENDER_ALERT_TYPE = 'microsoft.security/locations/alerts';
const ACTIVATE_ALERT_OPERATION = 'microsoft.security/locations/alerts/activate/action';

type Bag = Readonly<Record<string, unknown>>;
type Result<T> = { ok: true; value: T } | { ok: false; reason: string };
type ParsedOne = { ok: true; alert: ExternalAlert } | { ok: false; reason: string };

const isObject = (v: unknown): v is Bag => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/**
 * A field by the first of `names` that is present, each matched exactly and then case-insensitively:
 * the same Defender fields come camelCase (REST), PascalCase (export, Resource Graph, Log Analytics).
 */
const get = (bag: Bag, ...names: string[]): unknown => {
  for (const name of names) {
    if (Object.hasOwn(bag, name) && bag[name] !== null && bag[name] !== undefined) return bag[name];
    const lower = name.toLowerCase();
    for (const key of Object.keys(bag)) {
      if (key.toLowerCase() === lower && bag[key] !== null && bag[key] !== undefined) return bag[key];
    }
  }
  return undefined;
};
/** The first of `names` holding non-blank text (an empty alertDisplayName falls through to the next). */
const textOf = (bag: Bag, ...names: string[]): string | undefined => {
  for (const name of names) {
    const value = text(get(bag, name));
    if (value !== undefined) return value;
  }
  return undefined;
};

const describe = (v: unknown): string => {
  if (v === null || v === undefined) return String(v);
  if (Array.isArray(v)) return 'an array';
  if (typeof v === 'string') return `a string ${JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v)}`;
  return typeof v === 'object' ? 'an object' : `a ${typeof v} (${String(v)})`;
};

/** At most `max` characters, ending in "…" when shortened (never splitting a surrogate pair). */
const shorten = (value: string, max: number): string => {
  if (value.length <= max) return value;
  let end = max - 1;
  const code = value.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return `${value.slice(0, end)}…`;
};

const capText = (value: string, max: number, what: string, notes: string[]): string => {
  if (value.length > max) notes.push(`${what} shortened to ${max} of ${value.length} characters`);
  return shorten(value, max);
};

/** The first `max` items, each shortened to `chars`; one note per list, however many items were cut. */
const capStrings = (items: string[], max: number, chars: number, what: string, notes: string[]): string[] => {
  const kept = capList(items, max, what, notes);
  const long = kept.filter((item) => item.length > chars).length;
  if (long > 0) notes.push(`${what}: ${long} shortened to ${chars} characters`);
  return kept.map((item) => shorten(item, chars));
};

const capList = <T>(items: T[], max: number, what: string, notes: string[]): T[] => {
  if (items.length <= max) return items;
  notes.push(`${what}: kept the first ${max} of ${items.length}`);
  return items.slice(0, max);
};

const unique = <T>(items: T[], key: (item: T) => string): T[] => {
  const seen = new Set<string>();
  return items.filter((item) => {
    const k = key(item);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
};

/** The Activity Log and Log Analytics carry arrays as JSON text ("[\"Persistence\"]"); this reads either. */
const decodeArray = (value: unknown, what: string, notes: string[]): unknown[] | undefined => {
  if (Array.isArray(value)) return value;
  if (typeof value !== 'string' || !value.trim().startsWith('[')) return undefined;
  try {
    const decoded: unknown = JSON.parse(value);
    if (Array.isArray(decoded)) return decoded;
  } catch {
    // falls through to the note: the text is kept as one item by the caller
  }
  notes.push(`${what}: text starting with "[" is not a JSON array; kept as text`);
  return undefined;
};

/** Strings from an array, a JSON-encoded array or one string; `split` also splits items on commas. */
const stringList = (value: unknown, what: string, notes: string[], split = false): string[] => {
  const items = decodeArray(value, what, notes) ?? (value === undefined ? [] : [value]);
  const strings = items.flatMap((item) => {
    const s = text(item);
    if (!s) return [];
    return split ? s.split(',').flatMap((part) => text(part) ?? []) : [s];
  });
  return strings;
};

const objectList = (value: unknown, what: string, notes: string[]): Bag[] => (decodeArray(value, what, notes) ?? []).filter(isObject);

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}:\d{2})?$/i;

/**
 * ISO 8601 date-time to a UTC ISO string with milliseconds. Azure writes up to 7 fraction digits
 * (.0000000Z); a time without zone is read as UTC (the fields are *Utc or Log Analytics datetimes).
 * Dates that do not exist (30 February) are refused rather than rolled over.
 */
const normaliseTimestamp = (value: string): string | undefined => {
  const m = ISO_DATE.exec(value.trim());
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s = '00', fraction = '', zone = 'Z'] = m;
  const date = new Date(`${y}-${mo}-${d}T${h}:${mi}:${s}.${(fraction + '000').slice(0, 3)}${zone.toUpperCase()}`);
  if (Number.isNaN(date.getTime())) return undefined;
  const calendar = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (calendar.getUTCMonth() !== Number(mo) - 1 || calendar.getUTCDate() !== Number(d)) return undefined;
  return date.toISOString();
};

/** The first present candidate; a present but unreadable one refuses (no silent fallback past it). */
const pickDate = (candidates: [label: string, value: unknown][]): Result<string | undefined> => {
  for (const [label, value] of candidates) {
    if (value === undefined || value === null || value === '') continue;
    const iso = typeof value === 'string' ? normaliseTimestamp(value) : undefined;
    if (!iso) return { ok: false, reason: `invalid date in "${label}": ${describe(value)}` };
    return { ok: true, value: iso };
  }
  return { ok: true, value: undefined };
};

const SEVERITIES: Readonly<Record<string, ExternalAlertSeverity>> = {
  informational: 'low',
  low: 'low',
  medium: 'medium',
  high: 'high',
  critical: 'critical',
};

/** ARM ids only (a resource or scope under /subscriptions or /providers), lower-cased, no trailing slash. */
const armId = (value: unknown): string | undefined => {
  const s = text(value);
  if (!s || !/^\/(subscriptions\/[^/]+|providers\/[^/]+)/i.test(s) || /\s/.test(s)) return undefined;
  return s.replace(/\/+$/, '').toLowerCase();
};

const httpsLink = (value: unknown, notes: string[]): string | undefined => {
  const s = text(value);
  if (!s) return undefined;
  if (!/^https:\/\/[^\s]+$/i.test(s)) {
    notes.push('link dropped: not an https URL');
    return undefined;
  }
  if (s.length > L.idChars) {
    notes.push(`link dropped: longer than ${L.idChars} characters`);
    return undefined;
  }
  return s;
};

/** ARM ids named by resourceIdentifiers: AzureResource entries (azureResourceId, or resourceId in Sentinel's). */
const identifiedResources = (value: unknown, notes: string[]): unknown[] =>
  objectList(value, 'resourceIdentifiers', notes).flatMap((identifier) => {
    const type = textOf(identifier, 'type')?.toLowerCase();
    if (type && type !== 'azureresource') return []; // LogAnalytics identifiers name the workspace, not the resource
    const id = get(identifier, 'azureResourceId', 'resourceId');
    return id === undefined ? [] : [id];
  });

/** One entity's display name from the fields the Defender and Sentinel entity types use. */
const entityOf = (raw: Bag): { entity?: ExternalAlertEntity; resourceId?: unknown } => {
  // Defender entities are flat with `type`; Sentinel entities are ARM objects with `kind` + properties.
  const bag = isObject(raw['properties']) ? raw['properties'] : raw;
  const kind = text(bag === raw ? get(raw, 'type') : get(raw, 'kind'))?.toLowerCase();
  if (!kind) return {}; // Log Analytics entities also hold bare {"$ref": "2"} back-references
  const name = (() => {
    const account = textOf(bag, 'name', 'accountName');
    if (kind === 'account' && account) {
      const upn = textOf(bag, 'userPrincipalName');
      const domain = textOf(bag, 'ntDomain');
      const suffix = textOf(bag, 'upnSuffix');
      return upn ?? (domain ? `${domain}\\${account}` : suffix ? `${account}@${suffix}` : account);
    }
    const host = textOf(bag, 'hostName');
    if (host) {
      const domain = textOf(bag, 'dnsDomain');
      return domain ? `${host}.${domain}` : host;
    }
    return textOf(
      bag,
      'address',
      'netBiosName',
      'userPrincipalName',
      'name',
      'accountName',
      'fileName',
      'url',
      'domainName',
      'resourceId',
      'azureResourceId',
      'value',
      'commandLine',
      'friendlyName',
      'displayName',
    );
  })();
  const resourceId = kind === 'azure-resource' || kind === 'azureresource' ? get(bag, 'resourceId', 'azureResourceId') : undefined;
  return { entity: name ? { kind, name } : undefined, resourceId };
};

/** `{ key: value }`, or nothing when the value is absent (optional fields stay absent, not undefined). */
const optional = <K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };

/** The fields every shape maps to; `finish` validates, normalises and bounds them in one place. */
interface Draft {
  source: ExternalAlertSource;
  kind: ExternalAlertKind;
  shape: ExternalAlertShape;
  rawType?: string;
  externalId: { label: string; value: unknown };
  providerAlertId?: unknown;
  title: unknown;
  description: unknown;
  severity: unknown;
  status: unknown;
  detectedAt: [string, unknown][];
  activityStartedAt: [string, unknown][];
  resourceIds: unknown[];
  resourceIdentifiers?: unknown;
  entities?: unknown;
  compromisedEntity?: unknown;
  tactics: unknown[];
  techniques: unknown[];
  remediationSteps?: unknown;
  productName?: unknown;
  alertType?: unknown;
  link?: unknown;
}

const finish = (d: Draft): ParsedOne => {
  const notes: string[] = [];
  const fail = (reason: string): ParsedOne => ({ ok: false, reason });

  const externalId = text(d.externalId.value);
  if (!externalId) return fail(`missing id: no "${d.externalId.label}"`);
  if (externalId.length > L.idChars) return fail(`"${d.externalId.label}" is ${externalId.length} characters; at most ${L.idChars}`);

  const sourceSeverity = text(d.severity);
  if (!sourceSeverity) return fail(`${externalId}: missing severity`);
  const severity = SEVERITIES[sourceSeverity.toLowerCase()];
  if (!severity) return fail(`${externalId}: unknown severity ${JSON.stringify(sourceSeverity)} (expected Informational, Low, Medium or High)`);

  const title = text(d.title);
  if (!title) return fail(`${externalId}: missing title`);

  const detected = pickDate(d.detectedAt);
  if (!detected.ok) return fail(`${externalId}: ${detected.reason}`);
  if (!detected.value) return fail(`${externalId}: missing detection time (${d.detectedAt.map(([label]) => `"${label}"`).join(', ')})`);
  const started = pickDate(d.activityStartedAt);
  if (!started.ok) return fail(`${externalId}: ${started.reason}`);

  const compromised = text(d.compromisedEntity);
  const entityResults = objectList(d.entities, 'entities', notes).map(entityOf);
  const allEntities = unique(
    [...(compromised ? [{ kind: 'compromised-entity', name: compromised }] : []), ...entityResults.flatMap((r) => (r.entity ? [r.entity] : []))],
    (e) => `${e.kind}\u0000${e.name.toLowerCase()}`,
  );
  const keptEntities = capList(allEntities, L.entitiesPerAlert, 'entities', notes);
  const longNames = keptEntities.filter((e) => e.name.length > L.textChars || e.kind.length > SHORT_CHARS).length;
  if (longNames > 0) notes.push(`entities: ${longNames} shortened to ${L.textChars} characters`);
  const entities = keptEntities.map((e) => ({ kind: shorten(e.kind, SHORT_CHARS), name: shorten(e.name, L.textChars) }));

  const resourceCandidates = [
    ...d.resourceIds,
    ...identifiedResources(d.resourceIdentifiers, notes),
    ...entityResults.flatMap((r) => (r.resourceId === undefined ? [] : [r.resourceId])),
    compromised,
  ];
  const armIds = resourceCandidates.flatMap((candidate) => armId(candidate) ?? []);
  const overLong = armIds.filter((id) => id.length > L.idChars).length;
  if (overLong > 0) notes.push(`resource ids: ${overLong} dropped, longer than ${L.idChars} characters`);
  const resourceIds = unique(
    armIds.filter((id) => id.length <= L.idChars),
    (id) => id,
  );

  const tactics = unique(
    d.tactics.flatMap((value) => stringList(value, 'tactics', notes, true)).filter((t) => t.toLowerCase() !== 'unknown'),
    (t) => t.toLowerCase(),
  );
  const techniques = unique(
    d.techniques.flatMap((value) => stringList(value, 'techniques', notes, true)),
    (t) => t.toUpperCase(),
  );
  const remediationSteps = stringList(d.remediationSteps, 'remediationSteps', notes);

  const short = (value: unknown, what: string) => {
    const s = text(value);
    return s === undefined ? undefined : capText(s, L.textChars, what, notes);
  };
  const providerAlertId = text(d.providerAlertId);
  const alert: ExternalAlert = {
    source: d.source,
    kind: d.kind,
    externalId: externalId.toLowerCase(),
    ...(providerAlertId && providerAlertId.length <= L.idChars ? { providerAlertId } : {}),
    title: capText(title, L.titleChars, 'title', notes),
    description: capText(text(d.description) ?? '', L.descriptionChars, 'description', notes),
    severity,
    sourceSeverity,
    ...optional('status', short(d.status, 'status')),
    detectedAt: detected.value,
    ...optional('activityStartedAt', started.value),
    resourceIds: capList(resourceIds, L.resourceIdsPerAlert, 'resource ids', notes),
    entities,
    tactics: capStrings(tactics, L.listItems, SHORT_CHARS, 'tactics', notes),
    techniques: capStrings(techniques, L.listItems, SHORT_CHARS, 'techniques', notes),
    remediationSteps: capStrings(remediationSteps, L.listItems, L.textChars, 'remediation steps', notes),
    ...optional('productName', short(d.productName, 'product name')),
    ...optional('alertType', short(d.alertType, 'alert type')),
    ...optional('link', httpsLink(d.link, notes)),
    shape: d.shape,
    ...optional('rawType', short(d.rawType, 'type')),
    notes,
  };
  return { ok: true, alert };
};

/**
 * The Defender alert fields shared by the REST body's `properties`, the flat export record and the
 * Activity Log's `properties` bag (aliases: REST camelCase first, then export / Log Analytics names).
 */
const defenderFields = (p: Bag) => ({
  source: 'defender-for-cloud' as const,
  kind: get(p, 'isIncident') === true ? ('incident' as const) : ('alert' as const),
  providerAlertId: get(p, 'vendorOriginalId'),
  title: textOf(p, 'alertDisplayName', 'displayName', 'alertName', 'alertType'),
  description: get(p, 'description'),
  severity: textOf(p, 'severity', 'reportedSeverity', 'alertSeverity'),
  status: textOf(p, 'status'),
  activityStartedAt: [['startTimeUtc', get(p, 'startTimeUtc', 'startTime')]] as [string, unknown][],
  resourceIds: [get(p, 'azureResourceId', 'resourceId')],
  resourceIdentifiers: get(p, 'resourceIdentifiers'),
  entities: get(p, 'entities'),
  compromisedEntity: get(p, 'compromisedEntity'),
  tactics: [get(p, 'intent', 'tactics')],
  techniques: [get(p, 'techniques'), get(p, 'subTechniques')],
  remediationSteps: get(p, 'remediationSteps'),
  productName: get(p, 'productName'),
  alertType: get(p, 'alertType'),
  link: textOf(p, 'alertUri', 'alertLink'),
});

const defenderArm = (raw: Bag): ParsedOne => {
  const p = raw['properties'];
  if (!isObject(p)) return { ok: false, reason: 'Defender for Cloud alert without "properties"' };
  return finish({
    ...defenderFields(p),
    shape: 'defender-arm',
    rawType: text(raw['type']),
    externalId: { label: 'properties.systemAlertId', value: textOf(p, 'systemAlertId') ?? text(raw['name']) },
    detectedAt: [
      ['timeGeneratedUtc', get(p, 'timeGeneratedUtc', 'timeGenerated')],
      ['startTimeUtc', get(p, 'startTimeUtc')],
    ],
  });
};

const defenderExport = (raw: Bag): ParsedOne =>
  finish({
    ...defenderFields(raw),
    shape: 'defender-export',
    rawType: text(raw['Type']),
    externalId: { label: 'SystemAlertId', value: textOf(raw, 'SystemAlertId') },
    detectedAt: [
      ['TimeGenerated', get(raw, 'TimeGenerated', 'TimeGeneratedUtc')],
      ['StartTimeUtc', get(raw, 'StartTimeUtc', 'StartTime')],
    ],
  });

/** The alert name an ARM alert id ends in: …/Microsoft.Security/locations/{location}/alerts/{name}. */
const alertNameInId = (id: unknown): string | undefined =>
  /\/providers\/microsoft\.security\/locations\/[^/]+\/alerts\/([^/]+)$/i.exec(text(id) ?? '')?.[1];

const defenderActivityLog = (raw: Bag, operation: string): ParsedOne => {
  const p = isObject(raw['properties']) ? raw['properties'] : {};
  const eventName = isObject(raw['eventName']) ? raw['eventName'] : {};
  const status = isObject(raw['status']) ? raw['status'] : {};
  const title = textOf(p, 'alertDisplayName') ?? text(eventName['value']) ?? text(eventName['localizedValue']);
  // The event's description repeats the title first ("<title>. <description>"): keep only the description.
  const fullDescription = textOf(p, 'description') ?? text(raw['description']);
  const description =
    title && fullDescription?.startsWith(`${title}. `) ? fullDescription.slice(title.length + 2).trim() : fullDescription;
  const fields = defenderFields(p);
  return finish({
    ...fields,
    shape: 'defender-activity-log',
    rawType: operation,
    // correlationId is the alert's id (= systemAlertId); the event's own `id` is per event (…/events/…/ticks/…).
    externalId: {
      label: 'correlationId',
      value: textOf(p, 'systemAlertId') ?? text(raw['correlationId']) ?? alertNameInId(raw['resourceId']),
    },
    title,
    description,
    status: fields.status ?? status['value'],
    // The event's `level` (Informational for every alert) is the log level, not the alert's severity.
    detectedAt: [
      ['properties.timeGeneratedUtc', get(p, 'timeGeneratedUtc', 'timeGenerated')],
      ['eventTimestamp', raw['eventTimestamp']],
      ['submissionTimestamp', raw['submissionTimestamp']],
    ],
  });
};

const sentinelIncident = (raw: Bag): ParsedOne => {
  const p = isObject(raw['properties']) ? raw['properties'] : undefined;
  if (!p) return { ok: false, reason: 'Sentinel incident without "properties"' };
  const id = armId(raw['id']);
  const extra = isObject(p['additionalData']) ? p['additionalData'] : {};
  return finish({
    source: 'sentinel',
    kind: 'incident',
    shape: 'sentinel-incident',
    rawType: text(raw['type']),
    externalId: { label: 'id (an ARM id)', value: id },
    title: p['title'],
    description: p['description'],
    severity: p['severity'],
    status: p['status'],
    detectedAt: [
      ['createdTimeUtc', p['createdTimeUtc']],
      ['firstActivityTimeUtc', p['firstActivityTimeUtc']],
    ],
    activityStartedAt: [['firstActivityTimeUtc', p['firstActivityTimeUtc']]],
    resourceIds: [],
    tactics: [extra['tactics']],
    techniques: [extra['techniques']],
    productName: p['providerName'],
    link: p['incidentUrl'],
  });
};

const sentinelAlert = (raw: Bag): ParsedOne => {
  const p = isObject(raw['properties']) ? raw['properties'] : undefined;
  if (!p) return { ok: false, reason: 'Sentinel SecurityAlert without "properties"' };
  const idTail = text(raw['id'])?.split('/').filter(Boolean).pop();
  return finish({
    source: 'sentinel',
    kind: p['isIncident'] === true ? 'incident' : 'alert',
    shape: 'sentinel-alert',
    rawType: text(raw['type']),
    // `name` is not reliable (Microsoft's entity example names another entity); the id ends in the systemAlertId.
    externalId: { label: 'properties.systemAlertId', value: text(p['systemAlertId']) ?? idTail },
    providerAlertId: p['providerAlertId'],
    title: textOf(p, 'alertDisplayName', 'friendlyName', 'alertType'),
    description: p['description'],
    severity: p['severity'],
    status: p['status'],
    detectedAt: [
      ['timeGenerated', p['timeGenerated']],
      ['startTimeUtc', p['startTimeUtc']],
    ],
    activityStartedAt: [['startTimeUtc', p['startTimeUtc']]],
    resourceIds: [],
    resourceIdentifiers: p['resourceIdentifiers'],
    compromisedEntity: p['compromisedEntity'],
    tactics: [p['tactics'], p['intent']],
    techniques: [p['techniques'], p['subTechniques']],
    remediationSteps: p['remediationSteps'],
    productName: p['productName'],
    alertType: p['alertType'],
    link: textOf(p, 'alertLink', 'alertUri'),
  });
};

const unknownShape = (raw: Bag, detail?: string): ParsedOne => {
  const type = text(raw['type']);
  const keys = Object.keys(raw);
  const what =
    detail ??
    (type
      ? `ARM type ${JSON.stringify(type.slice(0, 200))}`
      : keys.length === 0
        ? 'an empty object'
        : `an object with keys ${keys.slice(0, 8).map((k) => JSON.stringify(k.slice(0, 60))).join(', ')}${keys.length > 8 ? ', …' : ''}`);
  return { ok: false, reason: `${UNKNOWN_SHAPE}: ${what}` };
};

const parseOne = (raw: unknown): ParsedOne => {
  if (!isObject(raw)) return { ok: false, reason: `not a JSON object (got ${describe(raw)})` };
  const type = text(raw['type'])?.toLowerCase();
  // Microsoft's own examples spell the types Microsoft.Security/Locations/alerts and
  // Microsoft.SecurityInsights/Entities; ARM types are case-insensitive.
  if (type === DEFENDER_ALERT_TYPE) return defenderArm(raw);
  if (type === 'microsoft.securityinsights/incidents') return sentinelIncident(raw);
  if (type === 'microsoft.securityinsights/entities') {
    const kind = text(raw['kind']);
    if (kind?.toLowerCase() === 'securityalert') return sentinelAlert(raw);
    return unknownShape(raw, `a Sentinel entity of kind ${JSON.stringify(kind ?? 'none')}, not a SecurityAlert`);
  }
  if (isObject(raw['operationName'])) {
    const operation = text(raw['operationName']['value']);
    if (operation?.toLowerCase() === ACTIVATE_ALERT_OPERATION) return defenderActivityLog(raw, operation);
    return unknownShape(raw, `Activity Log operation ${JSON.stringify(operation ?? 'none')}, not ${ACTIVATE_ALERT_OPERATION}`);
  }
  if (!type && (Object.hasOwn(raw, 'SystemAlertId') || (Object.hasOwn(raw, 'AlertType') && (Object.hasOwn(raw, 'StartTimeUtc') || Object.hasOwn(raw, 'TimeGenerated'))))) {
    return defenderExport(raw);
  }
  return unknownShape(raw);
};

/**
 * Recognises and normalises one intake payload: a Defender for Cloud alert (REST body, continuous
 * export / Logic App record, Activity Log event), a Sentinel incident or SecurityAlert entity, or an
 * ARM list page `{ value: [...] }` of those. A page is taken whole or refused whole, naming the item.
 */
export const parseExternalAlert = (payload: unknown): ExternalAlertsParsed => {
  if (!isObject(payload)) return { ok: false, reason: `not a JSON object (got ${describe(payload)})` };
  const page = payload['value'];
  if (Array.isArray(page) && payload['type'] === undefined && payload['properties'] === undefined) {
    if (page.length > L.alertsPerPayload) {
      return { ok: false, reason: `list page has ${page.length} items; at most ${L.alertsPerPayload} alerts per payload (request smaller pages)` };
    }
    const alerts: ExternalAlert[] = [];
    for (const [index, item] of page.entries()) {
      const parsed = parseOne(item);
      if (!parsed.ok) return { ok: false, reason: `value[${index}]: ${parsed.reason}` };
      alerts.push(parsed.alert);
    }
    return { ok: true, alerts };
  }
  const parsed = parseOne(payload);
  return parsed.ok ? { ok: true, alerts: [parsed.alert] } : parsed;
};
