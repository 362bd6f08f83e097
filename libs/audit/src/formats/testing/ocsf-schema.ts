// Resolves OCSF metaschema source (the vendored files in libs/audit/corpus/ocsf) into flat classes
// and objects the way the OCSF server does, and checks records against them: used by the tests only.
// Resolution: a definition's `$include`d profile attributes are tagged with the profile, its own
// attributes merged over them (an explicit `"profile": null` un-tags one), its parent's (`extends`)
// merged under it, then each attribute merged over its dictionary entry (so enums add up). A tagged
// attribute exists only when the record lists its profile in `metadata.profiles`.

/** Reads a file of the vendored tree by its repository path, e.g. `events/findings/finding.json`. */
export type OcsfLoader = (path: string) => unknown;

type Json = Record<string, unknown>;

export interface OcsfAttribute {
  readonly name: string;
  /** A dictionary type (`string_t`, …) or an object name. */
  readonly type: string;
  readonly isArray: boolean;
  readonly requirement: string;
  readonly enum?: Readonly<Record<string, { caption: string }>>;
  readonly sibling?: string;
  readonly profile: string | null;
  readonly deprecated: boolean;
}

export interface OcsfType {
  readonly name: string;
  readonly caption: string;
  readonly attributes: ReadonlyMap<string, OcsfAttribute>;
  readonly atLeastOne: readonly string[];
  readonly justOne: readonly string[];
}

const CLASS_FILES: Readonly<Record<string, string>> = {
  base_event: 'events/base_event.json',
  finding: 'events/findings/finding.json',
  compliance_finding: 'events/findings/compliance_finding.json',
  incident_finding: 'events/findings/incident_finding.json',
  remediation_activity: 'events/remediation/remediation_activity.json',
};

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const deepMerge = (base: unknown, over: unknown): unknown => {
  if (!isObject(base) || !isObject(over)) return over === undefined ? base : over;
  const out: Json = { ...base };
  for (const [k, v] of Object.entries(over)) out[k] = deepMerge(base[k], v);
  return out;
};

export class OcsfSchema {
  private readonly dictionary: Json;
  private readonly baseTypes: Json;
  private readonly objects = new Map<string, OcsfType | null>();

  constructor(private readonly load: OcsfLoader) {
    const dictionary = load('dictionary.json') as Json;
    this.dictionary = dictionary['attributes'] as Json;
    this.baseTypes = (dictionary['types'] as Json)['attributes'] as Json;
  }

  get version(): string {
    return (this.load('version.json') as Json)['version'] as string;
  }

  /** An event class by name (`compliance_finding`), with its uid enums filled in as the server does. */
  eventClass(name: string): OcsfType & { readonly uid: number; readonly categoryUid: number } {
    const def = this.load(CLASS_FILES[name] ?? `(unknown class ${name})`) as Json;
    const raw = this.rawAttributes(def, (n) => CLASS_FILES[n]);
    const categories = (this.load('categories.json') as Json)['attributes'] as Json;
    // A class without its own category has its parent's (compliance_finding -> finding: findings).
    let categoryName = def['category'] as string | undefined;
    for (let parent = def['extends'] as string | undefined; !categoryName && parent; ) {
      const parentDef = this.load(CLASS_FILES[parent]) as Json;
      categoryName = parentDef['category'] as string | undefined;
      parent = parentDef['extends'] as string | undefined;
    }
    const category = categories[categoryName ?? 'other'] as Json;
    const categoryUid = category['uid'] as number;
    const uid = categoryUid * 1000 + (def['uid'] as number);
    const resolved = this.finish(def, raw);
    const attributes = new Map(resolved.attributes);
    const activities = attributes.get('activity_id')?.enum ?? {};
    const withEnum = (attr: string, e: Record<string, { caption: string }>) => {
      const known = attributes.get(attr);
      if (known) attributes.set(attr, { ...known, enum: e });
    };
    withEnum('category_uid', { [categoryUid]: { caption: category['caption'] as string } });
    withEnum('class_uid', { [uid]: { caption: def['caption'] as string } });
    withEnum(
      'type_uid',
      Object.fromEntries(Object.entries(activities).map(([id, a]) => [String(uid * 100 + Number(id)), { caption: `${def['caption']}: ${a.caption}` }])),
    );
    return { ...resolved, attributes, uid, categoryUid };
  }

  /** An object by name, or undefined when its definition was not vendored. */
  object(name: string): OcsfType | undefined {
    if (!this.objects.has(name)) {
      let def: Json | null = null;
      try {
        def = this.load(`objects/${name}.json`) as Json;
      } catch {
        def = null;
      }
      this.objects.set(name, def ? this.finish(def, this.rawAttributes(def, (n) => `objects/${n}.json`)) : null);
    }
    return this.objects.get(name) ?? undefined;
  }

  private rawAttributes(def: Json, fileOf: (name: string) => string | undefined): Json {
    const parentName = def['extends'] as string | undefined;
    const parentFile = parentName && parentName !== 'object' ? fileOf(parentName) : undefined;
    const parent = parentFile ? this.rawAttributes(this.load(parentFile) as Json, fileOf) : {};
    const own = def['attributes'] as Json;
    let mine: Json = {};
    for (const include of (own['$include'] as string[] | undefined) ?? []) {
      const profile = this.load(include) as Json;
      for (const [k, v] of Object.entries(profile['attributes'] as Json)) mine[k] = { ...(v as Json), profile: profile['name'] };
    }
    for (const [k, v] of Object.entries(own)) if (k !== '$include') mine = { ...mine, [k]: deepMerge(mine[k], v) };
    const merged: Json = { ...parent };
    for (const [k, v] of Object.entries(mine)) merged[k] = deepMerge(parent[k], v);
    return merged;
  }

  private finish(def: Json, raw: Json): OcsfType {
    const attributes = new Map<string, OcsfAttribute>();
    for (const [name, attr] of Object.entries(raw)) {
      const a = deepMerge(this.dictionary[name] ?? {}, attr) as Json;
      attributes.set(name, {
        name,
        type: (a['type'] as string) ?? '(no type in dictionary)',
        isArray: a['is_array'] === true,
        requirement: (a['requirement'] as string) ?? 'optional',
        enum: a['enum'] as OcsfAttribute['enum'],
        sibling: a['sibling'] as string | undefined,
        profile: (a['profile'] as string | null | undefined) ?? null,
        deprecated: a['@deprecated'] !== undefined,
      });
    }
    const constraints = (def['constraints'] as Json | undefined) ?? {};
    return {
      name: def['name'] as string,
      caption: def['caption'] as string,
      attributes,
      atLeastOne: (constraints['at_least_one'] as string[] | undefined) ?? [],
      justOne: (constraints['just_one'] as string[] | undefined) ?? [],
    };
  }

  private primitive(type: string): string | undefined {
    let t = type;
    for (let i = 0; i < 5; i++) {
      const base = this.baseTypes[t] as Json | undefined;
      if (!base) return undefined;
      if (!base['type']) return t;
      t = base['type'] as string;
    }
    return t;
  }

  /**
   * What is wrong with `value` as an instance of `type`: missing required attributes, attributes the
   * type does not have (or has only under a profile the record does not list), deprecated ones,
   * wrong JSON types, enum values not listed, sibling captions that disagree, unmet constraints.
   * Objects inside are checked the same way, all the way down.
   */
  problems(value: unknown, type: OcsfType, profiles: readonly string[], path = ''): string[] {
    if (!isObject(value)) return [`${path || '(record)'}: expected an object`];
    const out: string[] = [];
    const active = (a: OcsfAttribute) => a.profile === null || profiles.includes(a.profile);
    for (const a of type.attributes.values()) {
      if (active(a) && a.requirement === 'required' && value[a.name] === undefined) out.push(`${path}${a.name}: required by ${type.name}, missing`);
    }
    for (const [key, v] of Object.entries(value)) {
      const where = `${path}${key}`;
      const a = type.attributes.get(key);
      if (!a) {
        out.push(`${where}: not an attribute of ${type.name}`);
        continue;
      }
      if (!active(a)) {
        out.push(`${where}: belongs to profile ${a.profile}, which metadata.profiles does not list`);
        continue;
      }
      if (a.deprecated) out.push(`${where}: deprecated in ${type.name}`);
      if (a.isArray !== Array.isArray(v)) {
        out.push(`${where}: expected ${a.isArray ? 'an array' : 'a single value'}`);
        continue;
      }
      const items = a.isArray ? (v as unknown[]) : [v];
      items.forEach((item, i) => out.push(...this.itemProblems(item, a, profiles, a.isArray ? `${where}[${i}]` : where)));
      if (a.enum && !a.isArray && !Object.prototype.hasOwnProperty.call(a.enum, String(v))) {
        out.push(`${where}: ${JSON.stringify(v)} is not one of ${Object.keys(a.enum).join(', ')}`);
      }
      if (a.enum && a.sibling && value[a.sibling] !== undefined && String(v) !== '99') {
        const caption = a.enum[String(v)]?.caption;
        if (caption !== undefined && value[a.sibling] !== caption) out.push(`${path}${a.sibling}: ${JSON.stringify(value[a.sibling])} but ${key} ${v} is "${caption}"`);
      }
    }
    if (type.atLeastOne.length && !type.atLeastOne.some((k) => value[k] !== undefined)) {
      out.push(`${path || '(record)'}: ${type.name} needs at least one of ${type.atLeastOne.join(', ')}`);
    }
    if (type.justOne.length && type.justOne.filter((k) => value[k] !== undefined).length !== 1) {
      out.push(`${path || '(record)'}: ${type.name} needs exactly one of ${type.justOne.join(', ')}`);
    }
    return out;
  }

  private itemProblems(item: unknown, a: OcsfAttribute, profiles: readonly string[], where: string): string[] {
    if (a.type === 'object') return isObject(item) ? [] : [`${where}: expected an object`];
    const primitive = this.primitive(a.type);
    if (primitive === undefined) {
      const object = this.object(a.type);
      if (!object) return [`${where}: object ${a.type} is not among the vendored definitions`];
      return this.problems(item, object, profiles, `${where}.`);
    }
    const ok =
      primitive === 'string_t'
        ? typeof item === 'string'
        : primitive === 'integer_t' || primitive === 'long_t'
          ? Number.isInteger(item)
          : primitive === 'float_t'
            ? typeof item === 'number'
            : primitive === 'boolean_t'
              ? typeof item === 'boolean'
              : true;
    return ok ? [] : [`${where}: ${JSON.stringify(item)} is not a ${a.type}`];
  }
}
