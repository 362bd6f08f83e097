import { parameterValuesOf } from './parameter-values';

describe('parameter values as people hand them over', () => {
  it('reads plain values, the assignment form and an ARM parameter file alike', () => {
    const plain = parameterValuesOf({ effect: 'Deny', minimumTlsVersion: 'TLS1_2' });
    expect(plain).toEqual({ ok: true, values: { effect: 'Deny', minimumTlsVersion: 'TLS1_2' } });
    expect(parameterValuesOf({ effect: { value: 'Deny' }, minimumTlsVersion: { value: 'TLS1_2' } })).toEqual(plain);
    expect(parameterValuesOf({ $schema: 'https://schema.management.azure.com/…', contentVersion: '1.0.0.0', parameters: { effect: { value: 'Deny' } } })).toEqual({ ok: true, values: { effect: 'Deny' } });
  });

  it('keeps an object value whole when not every value is wrapped', () => {
    expect(parameterValuesOf({ effect: 'Audit', tags: { value: 'x' } })).toEqual({ ok: true, values: { effect: 'Audit', tags: { value: 'x' } } });
  });

  it('refuses what is not an object of values', () => {
    for (const raw of [null, [], 'Deny', 3]) expect(parameterValuesOf(raw)).toEqual({ ok: false, reason: expect.stringMatching(/must be a JSON object of parameter values/) });
  });
});
