import { validContract, validKey, validQualityRules, validWebhook } from './product-input';
import { ProductError } from './products.error';

function messageOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    expect(error).toBeInstanceOf(ProductError);
    return (error as ProductError).message;
  }
  throw new Error('expected a ProductError');
}

describe('product input', () => {
  it('webhook accepts http and https only', () => {
    expect(
      validWebhook(
        { url: 'https://hooks.example.org/weft', secretEnv: 'WEFT_WEBHOOK_SECRET_LAB' },
        null,
      ),
    ).toEqual({
      url: 'https://hooks.example.org/weft',
      secret: { env: 'WEFT_WEBHOOK_SECRET_LAB' },
    });
    expect(messageOf(() => validWebhook({ url: 'file:///etc/passwd', secretEnv: 'S' }, null))).toBe(
      'webhook.url "file:///etc/passwd" uses file:: Weft posts alerts only to http or https URLs',
    );
    expect(messageOf(() => validWebhook({ url: 'not a url', secretEnv: 'S' }, null))).toBe(
      'webhook.url "not a url" is not a URL: give an absolute http or https URL',
    );
  });

  it('webhook rejects credentials in the URL', () => {
    expect(
      messageOf(() =>
        validWebhook({ url: 'https://user:pw@hooks.example.org/', secretEnv: 'S' }, null),
      ),
    ).toBe(
      'webhook.url contains a user name or password: remove them, because the receiver checks the X-Weft-Signature-256 header instead',
    );
  });

  it('webhook needs exactly one secret reference', () => {
    const both =
      'webhook needs exactly one of secretEnv (an environment variable name) or secretFile (an absolute path) holding the HMAC secret';
    expect(messageOf(() => validWebhook({ url: 'http://127.0.0.1/' }, null))).toBe(both);
    expect(
      messageOf(() =>
        validWebhook({ url: 'http://127.0.0.1/', secretEnv: 'A', secretFile: '/b' }, null),
      ),
    ).toBe(both);
    expect(
      messageOf(() =>
        validWebhook({ url: 'http://127.0.0.1/', secretFile: 'relative' }, '/run/secrets'),
      ),
    ).toBe(
      'webhook.secretFile "relative" is not an absolute path: give the full path of the secret file',
    );
    expect(
      validWebhook(
        { url: 'http://127.0.0.1:8080/hook', secretFile: '/run/secrets/hook' },
        '/run/secrets',
      ),
    ).toEqual({
      url: 'http://127.0.0.1:8080/hook',
      secret: { file: '/run/secrets/hook' },
    });
  });

  it('webhook secrets come from the operator', () => {
    expect(
      messageOf(() => validWebhook({ url: 'http://127.0.0.1/', secretEnv: 'HOME' }, null)),
    ).toBe(
      'webhook.secretEnv "HOME" does not start with WEFT_WEBHOOK_SECRET_: ask the operator for a variable of that name',
    );
    expect(
      messageOf(() =>
        validWebhook({ url: 'http://127.0.0.1/', secretFile: '/etc/weft/influx.password' }, null),
      ),
    ).toBe(
      'webhook.secretFile is not allowed on this server (WEFT_WEBHOOK_SECRETS_DIR is unset): use secretEnv with a WEFT_WEBHOOK_SECRET_* variable',
    );
    expect(
      messageOf(() =>
        validWebhook(
          { url: 'http://127.0.0.1/', secretFile: '/run/secrets/../../etc/shadow' },
          '/run/secrets',
        ),
      ),
    ).toBe(
      'webhook.secretFile "/run/secrets/../../etc/shadow" is outside /run/secrets: put the secret file in that folder (WEFT_WEBHOOK_SECRETS_DIR)',
    );
  });

  it('key must be a short lowercase name', () => {
    expect(validKey('lab-climate')).toBe('lab-climate');
    expect(messageOf(() => validKey('Lab Climate'))).toBe(
      'key "Lab Climate" is invalid: use 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit',
    );
  });

  it('contract rejects unknown datatypes and inverted ranges', () => {
    const parse = (text: string) => text;
    expect(
      messageOf(() =>
        validContract({ fields: [{ name: 't', datatype: 'float' }] }, new Set(), parse),
      ),
    ).toBe(
      'contract.fields[0].datatype "float" is unknown: use one of xsd:boolean, xsd:integer, xsd:double, xsd:string, xsd:dateTime, xsd:base64Binary, rdf:JSON',
    );
    expect(
      messageOf(() =>
        validContract({ fields: [{ name: 't', minimum: 5, maximum: 1 }] }, new Set(), parse),
      ),
    ).toBe('contract.fields[0] has minimum 5 above maximum 1: swap them');
    expect(
      messageOf(() =>
        validContract({ fields: [{ name: 't', dataset: 'x' }] }, new Set(['y']), parse),
      ),
    ).toBe(
      'contract.fields[0].dataset "x" is not a member dataset of the product: add it to datasets or leave dataset out to apply the field to every member',
    );
  });

  it('quality rules must be positive', () => {
    expect(messageOf(() => validQualityRules({ maxHarvestAgeSeconds: 0 }))).toBe(
      'qualityRules.maxHarvestAgeSeconds 0 must be above 0, or null to skip the check',
    );
    expect(validQualityRules(null)).toEqual({
      maxHarvestAgeSeconds: null,
      minMessagesPerMinute: null,
      maxMessagesPerMinute: null,
    });
  });
});
