import assert from 'node:assert/strict';
import { endpointOverride } from '../../../src/aws/endpoints';
import type { SharedFiles } from '../../../src/aws/files';

const files: SharedFiles = {
  config: {
    dev: { region: 'us-east-1', services: 'local' },
    plain: { endpoint_url: 'http://127.0.0.1:4000' },
    off: { services: 'local', ignore_configured_endpoint_urls: 'true' },
    'services.local': { 's3.endpoint_url': 'http://127.0.0.1:7480', 'codeartifact.endpoint_url': 'http://127.0.0.1:8080' },
  },
  credentials: {},
};

describe('aws/endpoints endpointOverride (SDK precedence, from the given env)', () => {
  it('AWS_ENDPOINT_URL_<SERVICE> wins over AWS_ENDPOINT_URL and the config file', () => {
    const env = { AWS_ENDPOINT_URL_S3: 'http://s3.local', AWS_ENDPOINT_URL: 'http://all.local' };
    assert.equal(endpointOverride('s3', env, files, 'dev'), 'http://s3.local');
    assert.equal(endpointOverride('codeartifact', env, files, 'dev'), 'http://all.local');
  });
  it('falls back to the profile\'s services section, then its endpoint_url', () => {
    assert.equal(endpointOverride('s3', {}, files, 'dev'), 'http://127.0.0.1:7480');
    assert.equal(endpointOverride('codeartifact', {}, files, 'dev'), 'http://127.0.0.1:8080');
    assert.equal(endpointOverride('sts', {}, files, 'dev'), undefined);
    assert.equal(endpointOverride('sts', {}, files, 'plain'), 'http://127.0.0.1:4000');
    assert.equal(endpointOverride('s3', {}, files, 'missing-profile'), undefined);
  });
  it('is off when AWS_IGNORE_CONFIGURED_ENDPOINT_URLS or ignore_configured_endpoint_urls says true', () => {
    assert.equal(endpointOverride('s3', { AWS_IGNORE_CONFIGURED_ENDPOINT_URLS: 'true', AWS_ENDPOINT_URL_S3: 'http://x' }, files, 'dev'), undefined);
    assert.equal(endpointOverride('s3', {}, files, 'off'), undefined);
  });
});
