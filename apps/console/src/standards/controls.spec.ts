import type { ControlCompliance, StandardScorePoint, StandardSummary } from '../api/operations';
import { controlsByDomain, standardChoices, standardScoreLine } from './controls';

const standard = (id: string): StandardSummary => ({ id, title: id.toUpperCase(), initiativeName: `${id}-guid`, version: '1.0.0', controlCount: 1, definitionCount: 1 });
const control = (controlId: string, domain: string | null, state: ControlCompliance['state']): ControlCompliance => ({
  controlId,
  title: controlId,
  titleFrom: 'curated',
  domain,
  state,
  resources: { passed: 0, failed: 0, notApplicable: 0, notEvaluable: 0, exempt: 0 },
  definitions: { total: 0, automated: 0, refused: 0, manual: 0, dataPlane: 0 },
  members: [],
  failingResources: [],
  attestation: null,
});

describe('the standards page', () => {
  it("offers the tenant's standards first, each once, then the others", () => {
    const choices = standardChoices([standard('mcsb'), standard('cis'), standard('pci')], [{ baselineId: 'financial-services' }, { baselineId: 'cis' }, { baselineId: 'mcsb' }, { baselineId: 'cis' }]);
    expect(choices.assigned.map((s) => s.id)).toEqual(['cis', 'mcsb']);
    expect(choices.others.map((s) => s.id)).toEqual(['pci']);
  });

  it('groups controls by domain in their order, and filters them by state', () => {
    const controls = [control('NS-1', 'Network security', 'failed'), control('NS-2', 'Network security', 'passed'), control('IM-1', 'Identity management', 'manual'), control('X', null, 'failed')];
    expect(controlsByDomain(controls).map((g) => [g.domain, g.controls.map((c) => c.controlId)])).toEqual([
      ['Network security', ['NS-1', 'NS-2']],
      ['Identity management', ['IM-1']],
      ['Controls', ['X']],
    ]);
    expect(controlsByDomain(controls, 'failed').map((g) => g.controls.map((c) => c.controlId))).toEqual([['NS-1'], ['X']]);
  });

  it('draws the score over time, with no value while it was not assigned, closed by the current score', () => {
    const point = (at: string, assigned: boolean, score: number | null): StandardScorePoint => ({ at, assigned, score, controlStates: { failed: 0, passed: 0, attested: 0, manual: 0, notApplicable: 0, notEvaluable: 0 } });
    const end = Date.parse('2026-11-03T12:00:00Z');
    const [line] = standardScoreLine([point('2026-11-02T00:00:00Z', false, null), point('2026-11-03T00:00:00Z', true, 0.4), point('2026-11-04T00:00:00Z', true, 0.9)], 0.5, end, 'CIS');
    expect(line.points).toEqual([
      { x: Date.parse('2026-11-02T00:00:00Z'), y: null },
      { x: Date.parse('2026-11-03T00:00:00Z'), y: 0.4 },
      { x: end, y: 0.5 },
    ]);
  });
});
