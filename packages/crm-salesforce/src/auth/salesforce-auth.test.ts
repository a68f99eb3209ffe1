import { describe, expect, it } from 'vitest';
import { createSalesforceClient } from '../client.js';
import { jwtAudience } from './salesforce-auth.js';

describe('Salesforce auth options', () => {
  it('picks the JWT audience Salesforce expects for the login host', () => {
    expect(jwtAudience('https://login.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://acme.my.salesforce.com')).toBe('https://login.salesforce.com');
    expect(jwtAudience('https://test.salesforce.com')).toBe('https://test.salesforce.com');
    expect(jwtAudience('https://acme--uat.sandbox.my.salesforce.com')).toBe(
      'https://test.salesforce.com',
    );
    expect(jwtAudience('https://community.acme.com/partners')).toBe('https://community.acme.com');
  });

  it('refuses incomplete auth and bad options with a ConfigError naming the option', () => {
    const make = (options: Record<string, unknown>) => () =>
      createSalesforceClient(options as never);
    expect(make({ auth: { type: 'jwt', clientId: 'x', username: 'u' } })).toThrow(
      /auth\.privateKey/,
    );
    expect(make({ auth: { type: 'clientCredentials', clientId: 'x', clientSecret: '' } })).toThrow(
      /auth\.clientSecret/,
    );
    expect(make({ auth: { type: 'refreshToken', clientId: 'x' } })).toThrow(/auth\.refreshToken/);
    expect(
      make({ auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'not a url' } }),
    ).toThrow(/auth\.instanceUrl/);
    expect(make({ auth: { type: 'password' } })).toThrow(/auth\.type/);
    expect(
      make({
        auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://x.example.com' },
        apiVersion: 'v62',
      }),
    ).toThrow(/apiVersion/);
    expect(
      make({
        loginUrl: 'login.salesforce.com',
        auth: { type: 'clientCredentials', clientId: 'x', clientSecret: 'y' },
      }),
    ).toThrow(/loginUrl/);
    expect(
      make({
        auth: { type: 'accessToken', accessToken: 't', instanceUrl: 'https://x.example.com' },
        limits: { threshold: 2 },
      }),
    ).toThrow(/limits\.threshold/);
  });
});
