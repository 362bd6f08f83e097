// The assign form a tenant's policies page (admin-policies-page.tsx) and a tenant group's page
// (admin-groups-page.tsx) share: a baseline, standard or library artifact picked from what the API
// offers, its scope and assignment id, an initiative's parameters (a standard's with their defaults
// and allowed values, a library initiative's by name; only the changed ones sent) and values per
// guardrail; and how an assignment's parameters are shown. Each page sends its own mutation.
import { useState, type FormEvent } from 'react';
import { STANDARD_PARAMETERS_QUERY, type Refusable, type StandardParametersQuery, type TenantPoliciesQuery } from '../api/operations';
import type { OwnLibraryBaseline } from '../admin/library-version';
import {
  ANY_TYPE,
  ASSIGNMENT_ID_LENGTH,
  assignmentIdFor,
  changedParameters,
  fieldText,
  initiativeParameterFields,
  isAssignmentId,
  isAssignmentScope,
  isSetValue,
  namedParameterFields,
  parameterSummary,
  type InitiativeParameterField,
} from '../admin/policies';
import { OutcomeMessage, useSubmit, type RefusalWords } from '../components/forms';
import { Field, LiveMessage, Loading } from '../components/ui';
import { useApi } from '../session';

/** What may be assigned: what the baselines and standards queries offer, and a tenant's own library on a tenant's page. */
export interface AssignCatalog {
  /** Rampart's baselines (no version), then the provider's library (the version in force), each under the id that follows the latest. */
  readonly baselines: TenantPoliciesQuery['baselines'];
  readonly standards: TenantPoliciesQuery['standards'];
  /** The tenant's own definitions and initiatives, not retired; none for a group. */
  readonly own?: readonly OwnLibraryBaseline[];
  /** The parameter names of one of the tenant's own initiatives, which the baselines query does not list. */
  readonly ownParameters?: (name: string) => Promise<string[]>;
}

interface AssignFormProps {
  readonly catalog: AssignCatalog;
  /** The assignment ids in use, so the suggested one is free. */
  readonly taken: readonly string[];
  /** What the assignment is for, merged into the mutation's input: `{ tenantId }` or `{ groupId }`. */
  readonly target: Readonly<Record<string, string>>;
  readonly mutation: string;
  readonly title: string;
  readonly hint?: string;
  readonly maxIdLength?: number;
  readonly refusalWords?: RefusalWords;
  /** The sentence once recorded. */
  readonly assigned: (assignmentId: string) => string;
  readonly onDone: (assignmentId: string) => void;
}

export const AssignForm = ({ catalog, taken, target, mutation, title, hint, maxIdLength = ASSIGNMENT_ID_LENGTH, refusalWords, assigned, onDone }: AssignFormProps) => {
  const { client } = useApi();
  const submit = useSubmit(refusalWords);
  const [baselineId, setBaselineId] = useState('');
  const [scope, setScope] = useState('*');
  const [assignmentId, setAssignmentId] = useState('');
  const [guardrailParameters, setGuardrailParameters] = useState('');
  const [fields, setFields] = useState<InitiativeParameterField[]>();
  const [edited, setEdited] = useState<Record<string, string>>({});
  const [problem, setProblem] = useState<string>();
  const library = catalog.baselines.filter((b) => b.version !== null);
  const own = catalog.own ?? [];
  const isStandard = catalog.standards.some((s) => s.id === baselineId);
  const ownInitiativeOf = (id: string) => own.find((b) => b.id === id && b.kind === 'initiative');
  // parameters asked for when chosen: a standard's, and an initiative of the tenant's own library
  const asked = isStandard || ownInitiativeOf(baselineId) !== undefined;
  const suggestedId = baselineId ? assignmentIdFor(baselineId, isAssignmentScope(scope) ? scope : '*', taken, maxIdLength) : '';

  const choose = async (id: string) => {
    setBaselineId(id);
    setFields(undefined);
    setEdited({});
    setProblem(undefined);
    const ownInitiative = ownInitiativeOf(id);
    if (ownInitiative && catalog.ownParameters) {
      try {
        setFields(namedParameterFields(await catalog.ownParameters(ownInitiative.name)));
      } catch (error) {
        setProblem(`The initiative's parameters could not be read: ${(error as Error).message}`);
        setFields([]);
      }
      return;
    }
    if (!catalog.standards.some((s) => s.id === id)) {
      // A library initiative's parameters come by name with the baselines; their types and defaults are its own.
      const names = catalog.baselines.find((b) => b.id === id)?.parameters;
      if (names?.length) setFields(namedParameterFields(names));
      return;
    }
    try {
      // A standard's parameters come with it: compiled on the API's first use, so asked for only when chosen.
      const answer = await client.request<StandardParametersQuery>(STANDARD_PARAMETERS_QUERY, { id });
      setFields(answer.standard ? initiativeParameterFields(answer.standard.parametersJson) : []);
    } catch (error) {
      setProblem(`The standard's parameters could not be read: ${(error as Error).message}`);
      setFields([]);
    }
  };

  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    setProblem(undefined);
    const id = assignmentId || suggestedId;
    if (!isAssignmentId(id, maxIdLength)) return setProblem(`The assignment id takes lowercase letters, digits and dashes, up to ${maxIdLength}.`);
    if (!isAssignmentScope(scope)) return setProblem('The scope is *, /subscriptions/<id> or /subscriptions/<id>/resourceGroups/<name>.');
    const input: Record<string, unknown> = { ...target, assignmentId: id, baselineId, scope: scope.trim() };
    if (guardrailParameters.trim()) {
      try {
        const parsed: unknown = JSON.parse(guardrailParameters);
        if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error('not an object');
      } catch {
        return setProblem('Parameters per guardrail are a JSON object by guardrail id, e.g. {"storage-weak-tls": {"minimumTlsVersion": "TLS1_2"}}.');
      }
      input['parametersJson'] = guardrailParameters.trim();
    }
    if (fields) {
      const changed = changedParameters(fields, edited);
      if (!changed.ok) return setProblem(changed.message);
      if (Object.keys(changed.values).length) input['initiativeParametersJson'] = JSON.stringify(changed.values);
    }
    const done = await submit.run<{ result: Refusable<{ __typename: string }> }>(mutation, input, () => assigned(id));
    if (done) {
      setBaselineId('');
      setAssignmentId('');
      setGuardrailParameters('');
      setFields(undefined);
      setEdited({});
      onDone(id);
    }
  };

  return (
    <form className="inline-form" onSubmit={onSubmit} aria-labelledby="assign-title">
      <h3 id="assign-title">{title}</h3>
      {hint ? <p className="hint">{hint}</p> : null}
      <div className="form-row">
        <Field id="assign-baseline" label="Baseline or standard">
          <select id="assign-baseline" value={baselineId} onChange={(e) => void choose(e.target.value)} required>
            <option value="">Choose…</option>
            <optgroup label="Rampart baselines">
              {catalog.baselines
                .filter((b) => b.version === null)
                .map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.title} ({b.guardrailIds.length} guardrails)
                  </option>
                ))}
            </optgroup>
            {library.length ? (
              <optgroup label="The provider's policy library (follows the latest version)">
                {library.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.title}
                  </option>
                ))}
              </optgroup>
            ) : null}
            {own.length ? (
              <optgroup label="This tenant's own library (follows the latest version)">
                {own.map((b) => (
                  <option key={b.id} value={b.id}>
                    {b.title}
                  </option>
                ))}
              </optgroup>
            ) : null}
            <optgroup label="Azure regulatory standards">
              {catalog.standards.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.title}
                  {s.version ? ` ${s.version}` : ''} ({s.controlCount} controls)
                </option>
              ))}
            </optgroup>
          </select>
        </Field>
        <Field id="assign-scope" label="Scope" hint="* for the whole tenant, or /subscriptions/<id>, or /subscriptions/<id>/resourceGroups/<name>.">
          <input id="assign-scope" value={scope} onChange={(e) => setScope(e.target.value)} required aria-describedby="assign-scope-hint" aria-invalid={!isAssignmentScope(scope)} />
        </Field>
        <Field id="assign-id" label="Assignment id" hint={suggestedId ? `Left empty: ${suggestedId}` : `Lowercase letters, digits and dashes, up to ${maxIdLength}.`}>
          <input id="assign-id" value={assignmentId} placeholder={suggestedId} onChange={(e) => setAssignmentId(e.target.value.trim())} aria-describedby="assign-id-hint" />
        </Field>
      </div>
      {asked && fields === undefined ? (
        <Loading what={isStandard ? "the standard's parameters" : "the initiative's parameters"} />
      ) : fields?.length ? (
        <InitiativeParameters fields={fields} edited={edited} onEdit={(name, text) => setEdited((e) => ({ ...e, [name]: text }))} isStandard={isStandard} />
      ) : isStandard ? (
        <p className="hint">This standard's initiative takes no parameters.</p>
      ) : null}
      {baselineId ? (
        <details className="parameters">
          <summary>Parameters per guardrail (advanced)</summary>
          <Field id="assign-guardrail-parameters" label="JSON by guardrail id" hint={'e.g. {"storage-weak-tls": {"minimumTlsVersion": "TLS1_2"}} — wins over the initiative\'s values.'}>
            <textarea id="assign-guardrail-parameters" rows={3} value={guardrailParameters} onChange={(e) => setGuardrailParameters(e.target.value)} aria-describedby="assign-guardrail-parameters-hint" />
          </Field>
        </details>
      ) : null}
      <button type="submit" className="button" disabled={submit.busy || !baselineId}>
        Assign
      </button>
      {problem ? <LiveMessage message={problem} tone="error" /> : <OutcomeMessage outcome={submit.outcome} />}
    </form>
  );
};

/** The parameter editor: a standard's parameters with their types, defaults and allowed values, or a library initiative's by name. */
const InitiativeParameters = ({
  fields,
  edited,
  onEdit,
  isStandard,
}: {
  fields: readonly InitiativeParameterField[];
  edited: Readonly<Record<string, string>>;
  onEdit: (name: string, text: string) => void;
  isStandard: boolean;
}) => {
  const [filter, setFilter] = useState('');
  const changedCount = fields.filter((f) => isSetValue(f, edited[f.name])).length;
  // named only (a library initiative): no types or defaults to show, and nothing set unless filled in
  const byName = fields.some((f) => f.type === ANY_TYPE);
  const shown = fields.filter((f) => !filter || `${f.label} ${f.name}`.toLowerCase().includes(filter.toLowerCase()));
  return (
    <details className="parameters">
      <summary>
        Initiative parameters ({fields.length}
        {changedCount ? `, ${changedCount} ${byName ? 'filled in' : 'changed'}` : byName ? ", none filled in: the initiative's defaults" : ', all at their defaults'})
      </summary>
      {byName ? (
        <p className="hint">
          As in Azure, each member policy taking its value from a parameter gets it. Only the values you fill in are recorded with the assignment; the others keep the initiative's
          defaults. A value that reads as JSON — a number, true or false, an array, an object — is sent as such, anything else as text.
        </p>
      ) : (
        <p className="hint">As in Azure, each member policy taking its value from a parameter gets it. Only the values you change are recorded with the assignment.</p>
      )}
      <Field id="param-filter" label="Find a parameter">
        <input id="param-filter" type="search" value={filter} onChange={(e) => setFilter(e.target.value)} />
      </Field>
      <div className="table-scroll parameter-table">
        <table className="table">
          <caption className="visually-hidden">{isStandard ? "Parameters of the standard's initiative" : 'Parameters of the initiative'}</caption>
          <thead>
            <tr>
              <th scope="col">Parameter</th>
              <th scope="col">Value</th>
              {byName ? null : <th scope="col">Default</th>}
            </tr>
          </thead>
          <tbody>
            {shown.map((f) => {
              const id = `param-${f.name}`;
              const value = edited[f.name] ?? fieldText(f.defaultValue);
              const set = (text: string) => onEdit(f.name, text);
              return (
                <tr key={f.name}>
                  <th scope="row">
                    <label htmlFor={id}>{f.label}</label>
                    {byName ? null : (
                      <span className="block muted small">
                        <code>{f.name}</code> · {f.type}
                      </span>
                    )}
                  </th>
                  <td>
                    {f.allowedValues?.length ? (
                      <select id={id} value={value} onChange={(e) => set(e.target.value)}>
                        {f.allowedValues.map((v) => (
                          <option key={fieldText(v)} value={fieldText(v)}>
                            {fieldText(v)}
                          </option>
                        ))}
                      </select>
                    ) : (
                      <input id={id} value={value} onChange={(e) => set(e.target.value)} placeholder={byName ? "the initiative's default" : undefined} />
                    )}
                  </td>
                  {byName ? null : (
                    <td>
                      <code className="break small">{fieldText(f.defaultValue) || '—'}</code>
                    </td>
                  )}
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </details>
  );
};

/** What an assignment sets, in a table cell: a summary, and the values as JSON on request. */
export const AssignedParameters = ({ parameters, initiativeParameters }: { parameters: string; initiativeParameters: string }) => {
  const summary = parameterSummary(parameters, initiativeParameters);
  if (!summary.guardrails.length && !summary.initiative.length) return <>{summary.text}</>;
  return (
    <details>
      <summary>{summary.text}</summary>
      {summary.initiative.length ? (
        <>
          <span className="block muted small">Initiative parameters</span>
          <pre className="code small">{JSON.stringify(JSON.parse(initiativeParameters), null, 2)}</pre>
        </>
      ) : null}
      {summary.guardrails.length ? (
        <>
          <span className="block muted small">Per guardrail</span>
          <pre className="code small">{JSON.stringify(JSON.parse(parameters), null, 2)}</pre>
        </>
      ) : null}
    </details>
  );
};
