import type { ControlCompliance } from '../api/operations';
import { csvCell, standardReportCsv } from './report';

const control = (over: Partial<ControlCompliance>): ControlCompliance => ({
  controlId: 'NS-2',
  title: 'Secure cloud services with network controls',
  titleFrom: 'standard',
  domain: 'Network Security',
  state: 'failed',
  resources: { passed: 3, failed: 1, notApplicable: 0, notEvaluable: 0, exempt: 0 },
  definitions: { total: 12, automated: 12, refused: 0, manual: 0, dataPlane: 0 },
  members: [],
  failingResources: [{ resourceId: '/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/payments-api', resourceType: 'microsoft.web/sites', failures: [] }],
  attestation: null,
  ...over,
});

describe("a standard's CSV report", () => {
  it('has a header and one row per control, counts as numbers, failing resources listed', () => {
    const csv = standardReportCsv('Microsoft cloud security benchmark', '2026-12-07T07:00:00.000Z', [control({}), control({ controlId: 'IM-1', state: 'passed', failingResources: [] })]);
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('standard,as_of,control,title,domain,state,resources_passed,resources_failed,resources_not_applicable,resources_not_evaluable,resources_exempt,policy_definitions,failing_resources');
    expect(lines[1]).toBe('Microsoft cloud security benchmark,2026-12-07T07:00:00.000Z,NS-2,Secure cloud services with network controls,Network Security,failed,3,1,0,0,0,12,/subscriptions/s1/resourceGroups/rg/providers/Microsoft.Web/sites/payments-api');
    expect(lines[2]).toMatch(/^Microsoft cloud security benchmark,[^,]+,IM-1,.*,passed,3,1,0,0,0,12,$/);
  });

  it('quotes what needs quoting and never lets a cell run as a spreadsheet formula', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a, b')).toBe('"a, b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=HYPERLINK("http://evil.example")')).toBe(`"'=HYPERLINK(""http://evil.example"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell(-3)).toBe('-3'); // a number stays a number
    expect(csvCell(null)).toBe('');
  });
});
