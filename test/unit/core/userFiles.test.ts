import * as assert from 'node:assert/strict';
import { userConfigFiles } from '../../../src/core/discovery/userFiles';

const paths = (files: { tool: string; path: string }[], tool?: string) => files.filter((f) => !tool || f.tool === tool).map((f) => f.path);

describe('userConfigFiles (where each tool looks)', () => {
  it('Linux defaults: XDG pip.conf and the legacy one, ~/.pypirc, ~/.npmrc, uv.toml, ~/.netrc', () => {
    const files = userConfigFiles({ env: {}, platform: 'linux', home: '/home/ana' });
    assert.deepEqual(paths(files), [
      '/home/ana/.config/pip/pip.conf',
      '/home/ana/.pip/pip.conf',
      '/home/ana/.pypirc',
      '/home/ana/.npmrc',
      '/home/ana/.config/uv/uv.toml',
      '/home/ana/.netrc',
    ]);
  });

  it('variables win: PIP_CONFIG_FILE, XDG_CONFIG_HOME, npm_config_userconfig (any case), NETRC', () => {
    const files = userConfigFiles({
      env: { PIP_CONFIG_FILE: '/etc/team/pip.conf', XDG_CONFIG_HOME: '/x/cfg', npm_config_userconfig: '/x/npmrc', NETRC: '/x/netrc' },
      platform: 'linux',
      home: '/home/ana',
    });
    assert.deepEqual(paths(files, 'pip'), ['/etc/team/pip.conf', '/x/cfg/pip/pip.conf', '/home/ana/.pip/pip.conf']);
    assert.deepEqual(paths(files, 'npm'), ['/x/npmrc']);
    assert.deepEqual(paths(files, 'uv'), ['/x/cfg/uv/uv.toml']);
    assert.deepEqual(paths(files, 'netrc'), ['/x/netrc']);
    assert.equal(files.find((f) => f.path === '/x/npmrc')?.reason, 'NPM_CONFIG_USERCONFIG');
  });

  it('PIP_CONFIG_FILE=/dev/null (pip: read no file) adds nothing', () => {
    assert.ok(!paths(userConfigFiles({ env: { PIP_CONFIG_FILE: '/dev/null' }, platform: 'linux', home: '/h' })).includes('/dev/null'));
  });

  it('macOS adds Application Support; Windows uses %APPDATA% and also reads _netrc', () => {
    assert.ok(paths(userConfigFiles({ env: {}, platform: 'darwin', home: '/Users/ana' }), 'pip').includes('/Users/ana/Library/Application Support/pip/pip.conf'));
    const win = userConfigFiles({ env: { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, platform: 'win32', home: 'C:\\Users\\ana' });
    assert.deepEqual(paths(win, 'pip'), ['C:\\Users\\ana\\AppData\\Roaming\\pip\\pip.ini', 'C:\\Users\\ana\\pip\\pip.ini']);
    assert.deepEqual(paths(win, 'uv'), ['C:\\Users\\ana\\AppData\\Roaming\\uv\\uv.toml']);
    assert.deepEqual(paths(win, 'netrc'), ['C:\\Users\\ana\\.netrc', 'C:\\Users\\ana\\_netrc']);
  });
});
