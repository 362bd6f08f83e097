// Who to assign: a text field (people come from the identity provider, so any id is accepted) that
// suggests the people already holding this SOC team's incidents, with how many are open for each,
// and a one-tap "me". The suggestions are loaded once per tenant and page.
import { useEffect, useState } from 'react';
import { ASSIGNEES_QUERY, type Assignee, type AssigneesQuery } from '../api/operations';
import { useApi, useSignedIn } from '../session';

const cache = new Map<string, Promise<readonly Assignee[]>>();

/** The suggestions for the tenants given (their SOC teams' people), merged: fewest open incidents first. */
export const useAssignees = (tenantIds: readonly string[]): readonly Assignee[] => {
  const { client } = useApi();
  const [people, setPeople] = useState<readonly Assignee[]>([]);
  const key = [...new Set(tenantIds)].sort().join(',');
  useEffect(() => {
    let live = true;
    const load = (tenantId: string) => {
      const cached = cache.get(tenantId);
      if (cached) return cached;
      // A refusal (a role that does not assign) or a failure leaves the field free text: nothing to suggest.
      const request = client.request<AssigneesQuery>(ASSIGNEES_QUERY, { tenantId }).then((d) => d.assignees, () => [] as readonly Assignee[]);
      cache.set(tenantId, request);
      setTimeout(() => cache.delete(tenantId), 60_000);
      return request;
    };
    void Promise.all(key.split(',').filter(Boolean).map(load)).then((lists) => {
      if (!live) return;
      const merged = new Map<string, Assignee>();
      // Each tenant's answer counts a person's open incidents in all the caller's team tenants: the same number, or a narrower view.
      for (const a of lists.flat()) {
        const seen = merged.get(a.id);
        merged.set(a.id, seen && seen.openIncidents > a.openIncidents ? seen : a);
      }
      setPeople([...merged.values()].sort((a, b) => a.openIncidents - b.openIncidents || a.id.localeCompare(b.id)));
    });
    return () => {
      live = false;
    };
  }, [client, key]);
  return people;
};

export const AssigneePicker = ({
  id,
  label,
  tenantIds,
  value,
  onChange,
  compact,
}: {
  id: string;
  label: string;
  tenantIds: readonly string[];
  value: string;
  onChange: (value: string) => void;
  compact?: boolean;
}) => {
  const { me } = useSignedIn();
  const people = useAssignees(tenantIds);
  const listId = `${id}-people`;
  return (
    <div className={compact ? 'field field-compact' : 'field'}>
      <label htmlFor={id}>{label}</label>
      <div className="input-with-button">
        <input id={id} list={listId} value={value} onChange={(e) => onChange(e.target.value)} required maxLength={320} autoComplete="off" aria-describedby={`${id}-hint`} />
        {value === me.id ? null : (
          <button type="button" className="button button-small button-quiet" onClick={() => onChange(me.id)}>
            Me
          </button>
        )}
      </div>
      <datalist id={listId}>
        {people.map((p) => (
          <option key={p.id} value={p.id}>
            {p.openIncidents} open
          </option>
        ))}
      </datalist>
      <p className="hint" id={`${id}-hint`}>
        {people.length
          ? `Suggested: the ${people.length} ${people.length === 1 ? 'person' : 'people'} holding this team's incidents, fewest open first (${people
              .slice(0, 3)
              .map((p) => `${p.id}: ${p.openIncidents} open`)
              .join('; ')}${people.length > 3 ? '; …' : ''}).`
          : 'Their user id, as your identity provider names them.'}
      </p>
    </div>
  );
};
