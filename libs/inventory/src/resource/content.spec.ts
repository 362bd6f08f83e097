import { canonicalJson, configurationOf, contentHash } from './content';
import { normaliseArmResource } from './resource';

describe('configuration content', () => {
  it('hashes equal content equally, whatever the key order', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { y: 2, x: 1 }], c: null } })).toBe('{"a":{"c":null,"d":[1,{"x":1,"y":2}]},"b":1}');
    expect(contentHash({ a: 1, b: 2 })).toBe(contentHash({ b: 2, a: 1 }));
    expect(contentHash({ a: 1 })).not.toBe(contentHash({ a: 2 }));
  });

  it('drops volatile fields, with configurable paths and wildcards', () => {
    const result = normaliseArmResource({
      id: '/subscriptions/s/resourceGroups/r/providers/Microsoft.Network/networkSecurityGroups/nsg',
      etag: 'W/"1"',
      properties: { provisioningState: 'Succeeded', securityRules: [{ name: 'a', properties: { access: 'Allow', provisioningState: 'Updating' } }] },
    });
    if (!result.ok) throw new Error(result.reason);
    const config = configurationOf(result.resource) as { etag?: string; properties: Record<string, unknown> };
    expect(config.etag).toBeUndefined();
    expect(config.properties['provisioningState']).toBeUndefined();
    expect(config.properties['securityRules']).toEqual([{ name: 'a', properties: { access: 'Allow' } }]);
    // etag is not configuration at all: the snapshot does not carry it
    const custom = configurationOf(result.resource, ['/properties/securityRules']) as { properties: Record<string, unknown> };
    expect(custom.properties['provisioningState']).toBe('Succeeded');
    expect(custom.properties['securityRules']).toBeUndefined();
  });
});
