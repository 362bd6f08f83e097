// What a policy file holds, in the layouts people keep in Git: plain Azure Policy JSON (the portal's
// or `az policy definition show`'s, with or without the `properties` wrapper), ARM template resources
// (Azure Landing Zones' library: top-level `type` and `apiVersion`, expressions escaped as `[[`), ARM
// template exports (a `resources` array), and Enterprise Policy as Code's folders (the same shapes,
// plus assignment files). Pure: the caller reads the files.
import { createHash } from 'node:crypto';
import { SEVERITIES, type LibraryExtension, type LibraryMemberRef, type Severity } from '../events';

export type ArtifactKind = 'definition' | 'initiative';

export interface Artifact {
  readonly kind: ArtifactKind;
  readonly name: string;
  /** The JSON object as it stands in the file (for a template export, its resource). */
  readonly content: Record<string, unknown>;
  /** Where in the file: `resources[2]` for a template export's third resource, '' for the file itself. */
  readonly at: string;
}

/** What a file holds: artifacts, things the import does not take (with why), or nothing it understands. */
export interface FileReading {
  readonly artifacts: readonly Artifact[];
  readonly skipped: readonly string[];
  readonly problems: readonly string[];
}

const isObject = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Keys compare case-insensitively in Azure's JSON, as the rule engine reads them. */
const keyOf = (o: Record<string, unknown>, name: string): unknown => {
  if (name in o) return o[name];
  const lower = name.toLowerCase();
  const found = Object.keys(o).find((k) => k.toLowerCase() === lower);
  return found === undefined ? undefined : o[found];
};

export const propertiesOf = (content: Record<string, unknown>): Record<string, unknown> => {
  const properties = keyOf(content, 'properties');
  return isObject(properties) ? properties : content;
};

const TYPES: Record<string, ArtifactKind> = {
  'microsoft.authorization/policydefinitions': 'definition',
  'microsoft.authorization/policysetdefinitions': 'initiative',
};

/**
 * Azure's rule for these names: up to 128 characters (64 at management-group scope is Azure's
 * own limit for deployment, not ours), none of `<>*%&:\?.+/`, no control characters or spaces.
 */
const NAME = /^[^<>*%&:\\?.+/\s]{1,128}$/;
// eslint's no-control-regex forbids writing the control characters in the pattern itself
const hasControlCharacter = (name: string): boolean => [...name].some((c) => c.charCodeAt(0) < 0x20 || c.charCodeAt(0) === 0x7f);
export const isValidArtifactName = (name: string): boolean => NAME.test(name) && !hasControlCharacter(name);

const kindOf = (content: Record<string, unknown>): ArtifactKind | undefined => {
  const type = keyOf(content, 'type');
  if (typeof type === 'string' && TYPES[type.toLowerCase()]) return TYPES[type.toLowerCase()];
  const properties = propertiesOf(content);
  if (isObject(keyOf(properties, 'policyRule'))) return 'definition';
  if (Array.isArray(keyOf(properties, 'policyDefinitions'))) return 'initiative';
  return undefined;
};

/** EPAC's assignment files and ARM assignment resources: assignments are made per tenant in Rampart. */
const isAssignment = (content: Record<string, unknown>): boolean => {
  const type = keyOf(content, 'type');
  if (typeof type === 'string' && type.toLowerCase() === 'microsoft.authorization/policyassignments') return true;
  return keyOf(content, 'assignment') !== undefined && (keyOf(content, 'definitionEntry') !== undefined || keyOf(content, 'definitionEntryList') !== undefined);
};

/** The file's name without folder and extension: the name of a definition that does not carry one. */
const baseName = (path: string): string => path.replace(/^.*[\\/]/, '').replace(/\.jsonc?$/i, '');

const artifactOf = (content: Record<string, unknown>, path: string, at: string): Artifact | string => {
  const kind = kindOf(content);
  if (!kind) return `${at || 'the file'} is neither a policy definition (properties.policyRule) nor an initiative (properties.policyDefinitions)`;
  const named = keyOf(content, 'name');
  const name = typeof named === 'string' && named.trim() ? named.trim() : baseName(path);
  if (!isValidArtifactName(name)) return `"${name}" is not a valid ${kind} name: up to 128 characters, none of <>*%&:\\?.+/ and no spaces`;
  return { kind, name, content, at };
};

export const readPolicyFile = (path: string, value: unknown): FileReading => {
  if (!isObject(value)) return { artifacts: [], skipped: [], problems: ['the file is not a JSON object'] };
  const resources = keyOf(value, 'resources');
  if (Array.isArray(resources) && typeof keyOf(value, '$schema') === 'string') {
    // An ARM template (export): its policy resources, each on its own.
    const artifacts: Artifact[] = [];
    const skipped: string[] = [];
    const problems: string[] = [];
    resources.forEach((resource, i) => {
      const at = `resources[${i}]`;
      if (!isObject(resource)) return problems.push(`${at} is not an object`);
      if (isAssignment(resource)) return skipped.push(`${at} is a policy assignment: assign to tenants with Rampart (rampart guardrails assign, or the console)`);
      const type = String(keyOf(resource, 'type') ?? '');
      if (!TYPES[type.toLowerCase()]) return skipped.push(`${at} is a ${type || 'resource without a type'}, not a policy definition or initiative`);
      const artifact = artifactOf(resource, path, at);
      if (typeof artifact === 'string') problems.push(artifact);
      else artifacts.push(artifact);
    });
    return { artifacts, skipped, problems };
  }
  if (isAssignment(value)) return { artifacts: [], skipped: ['a policy assignment: assign to tenants with Rampart (rampart guardrails assign, or the console)'], problems: [] };
  const artifact = artifactOf(value, path, '');
  return typeof artifact === 'string' ? { artifacts: [], skipped: [], problems: [artifact] } : { artifacts: [artifact], skipped: [], problems: [] };
};

/**
 * JSON with comments (EPAC's .jsonc): `//` and `/* *\/` outside strings become spaces, so positions
 * in error messages still point at the right place.
 */
export const stripJsonComments = (text: string): string => {
  let out = '';
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      out += c;
      if (c === '\\') out += text[++i] ?? '';
      else if (c === '"') inString = false;
    } else if (c === '"') {
      inString = true;
      out += c;
    } else if (c === '/' && text[i + 1] === '/') {
      while (i < text.length && text[i] !== '\n') out += text[i++] === '\t' ? '\t' : ' ';
      out += text[i] ?? '';
    } else if (c === '/' && text[i + 1] === '*') {
      const end = text.indexOf('*/', i + 2);
      const stop = end < 0 ? text.length : end + 2;
      for (; i < stop; i++) out += text[i] === '\n' ? '\n' : ' ';
      i--;
    } else out += c;
  }
  return out;
};

/** JSON with its object keys sorted, no whitespace: what the content digest is taken over. */
export const canonicalJson = (value: unknown): string => {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .filter((k) => value[k] !== undefined)
      .map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
};

/** The content digest a version is known by: a file reformatted or with its keys reordered is the same version. */
export const contentSha256 = (content: unknown): string => createHash('sha256').update(canonicalJson(content)).digest('hex');

/** The display name Azure shows, or the name. */
export const displayNameOf = (artifact: Artifact): string => {
  const value = keyOf(propertiesOf(artifact.content), 'displayName');
  return typeof value === 'string' && value.trim() ? value.trim() : artifact.name;
};

/** `properties.metadata.rampart`: checked strictly, since a typo would silently lose a severity or a playbook. */
export const extensionOf = (artifact: Artifact): { readonly extension: LibraryExtension } | { readonly problems: string[] } => {
  const metadata = keyOf(propertiesOf(artifact.content), 'metadata');
  const raw = isObject(metadata) ? keyOf(metadata, 'rampart') : undefined;
  if (raw === undefined) return { extension: {} };
  if (!isObject(raw)) return { problems: ['properties.metadata.rampart must be an object'] };
  const problems: string[] = [];
  const extension: { severity?: Severity; remediation?: string; playbookId?: string; controls?: { framework: string; control: string }[] } = {};
  for (const [key, value] of Object.entries(raw)) {
    switch (key) {
      case 'severity':
        if (typeof value === 'string' && (SEVERITIES as readonly string[]).includes(value)) extension.severity = value as Severity;
        else problems.push(`properties.metadata.rampart.severity must be one of ${SEVERITIES.join(', ')}`);
        break;
      case 'remediation':
        if (typeof value === 'string' && value.trim() && value.length <= 2_000) extension.remediation = value.trim();
        else problems.push('properties.metadata.rampart.remediation must be text of 1-2000 characters');
        break;
      case 'playbookId':
        if (typeof value === 'string' && /^[a-z0-9][a-z0-9-]{0,62}$/.test(value)) extension.playbookId = value;
        else problems.push('properties.metadata.rampart.playbookId must be a playbook id (lowercase letters, digits, dashes)');
        break;
      case 'controls':
        if (Array.isArray(value) && value.every((c) => isObject(c) && typeof c['framework'] === 'string' && typeof c['control'] === 'string')) {
          extension.controls = value.map((c) => ({ framework: String((c as Record<string, unknown>)['framework']), control: String((c as Record<string, unknown>)['control']) }));
        } else problems.push('properties.metadata.rampart.controls must be a list of { "framework": …, "control": … }');
        break;
      default:
        problems.push(`properties.metadata.rampart.${key} is not something Rampart reads (severity, remediation, playbookId, controls)`);
    }
  }
  return problems.length ? { problems } : { extension };
};

/** Where an initiative member's `policyDefinitionId` points, before knowing whether that exists. */
export type MemberTarget = { readonly source: 'built-in-or-library' | 'library'; readonly name: string } | { readonly unresolvable: string };

const DEFINITION_ID = /^\/(?:subscriptions\/[^/]+\/|providers\/microsoft\.management\/managementgroups\/[^/]+\/)?providers\/microsoft\.authorization\/policydefinitions\/([^/]+)$/i;
/** An ARM expression building the id, as ALZ's library writes them: the definition's name is its last literal. */
const EXPRESSION_ID = /^\[{1,2}concat\(.*'\/providers\/microsoft\.authorization\/policydefinitions\/([^'/]+)'\s*\)\]$/i;

export const memberTargetOf = (policyDefinitionId: unknown): MemberTarget => {
  if (typeof policyDefinitionId !== 'string') return { unresolvable: 'policyDefinitionId is missing' };
  const plain = DEFINITION_ID.exec(policyDefinitionId);
  if (plain) {
    // Azure's built-ins are at /providers/...; custom definitions at a management group or a subscription.
    const tenantLevel = /^\/providers\//i.test(policyDefinitionId);
    return { source: tenantLevel ? 'built-in-or-library' : 'library', name: plain[1] };
  }
  const expression = EXPRESSION_ID.exec(policyDefinitionId);
  if (expression) return { source: 'library', name: expression[1] };
  return { unresolvable: `policyDefinitionId ${JSON.stringify(policyDefinitionId.slice(0, 200))} names no policy definition Rampart can resolve` };
};

export interface InitiativeMember {
  readonly referenceId: string;
  readonly target: MemberTarget;
  /** Initiative parameters its values refer to (`[parameters('x')]`). */
  readonly usesParameters: readonly string[];
}

const PARAMETER_REFERENCE = /parameters\('([^']+)'\)/g;

/** An initiative's members, and what in its shape is wrong. */
export const initiativeMembersOf = (artifact: Artifact): { readonly members: InitiativeMember[]; readonly problems: string[]; readonly parameters: ReadonlySet<string> } => {
  const properties = propertiesOf(artifact.content);
  const declared = keyOf(properties, 'parameters');
  const parameters = new Set(isObject(declared) ? Object.keys(declared).map((p) => p.toLowerCase()) : []);
  const list = keyOf(properties, 'policyDefinitions');
  const problems: string[] = [];
  const members: InitiativeMember[] = [];
  if (!Array.isArray(list) || list.length === 0) return { members, problems: ['properties.policyDefinitions must list at least one member'], parameters };
  const seen = new Set<string>();
  list.forEach((entry, i) => {
    if (!isObject(entry)) return problems.push(`policyDefinitions[${i}] is not an object`);
    const ref = keyOf(entry, 'policyDefinitionReferenceId');
    const referenceId = typeof ref === 'string' && ref ? ref : `member-${i}`;
    if (seen.has(referenceId.toLowerCase())) problems.push(`policyDefinitions[${i}]: the reference id ${referenceId} is used twice`);
    seen.add(referenceId.toLowerCase());
    const usesParameters = [...JSON.stringify(keyOf(entry, 'parameters') ?? {}).matchAll(PARAMETER_REFERENCE)].map((m) => m[1]);
    for (const p of usesParameters) if (!parameters.has(p.toLowerCase())) problems.push(`policyDefinitions[${i}] (${referenceId}) uses the parameter ${p}, which the initiative does not declare`);
    members.push({ referenceId, target: memberTargetOf(keyOf(entry, 'policyDefinitionId')), usesParameters });
  });
  return { members, problems, parameters };
};

/** Resolved members, as the event records them. */
export type ResolvedMembers = LibraryMemberRef[];
