# -*- coding: utf-8 -*-
# Copyright: linux.vnet contributors
# GNU General Public License v3.0+ (see COPYING or https://www.gnu.org/licenses/gpl-3.0.txt)
"""The collection as users get it: the tarball ``ansible-galaxy collection build`` makes.

``make artifact`` runs this file (``pytest tests/artifact``). It

1. copies the tracked (and untracked, not ignored) files to a temporary directory, the way
   ``make collection`` does, plants the caches a developer's tree has (``__pycache__``,
   ``.pytest_cache``, ``.venv``, ``tests/output`` ...) and builds the tarball there, so that
   galaxy.yml's ``build_ignore`` is what keeps them out;
2. checks the tarball's file list, and prints its size and file count;
3. for each ansible-core of the version matrix (the oldest that meta/runtime.yml allows and the
   newest here, each in its own virtualenv): installs the tarball with that version's
   ansible-galaxy into an empty collections path, verifies it against its FILES.json, loads the
   documentation of every plugin and role with ansible-doc, and runs tests/artifact/smoke.yml
   (as root) with ANSIBLE_COLLECTIONS_PATH set to that path only;
4. checks the execution-environment metadata with ansible-builder: ``introspect`` on the installed
   tarball finds the collection's Python and system requirements, and ``create`` writes the build
   context of docs/ee/execution-environment.yml (no container engine needed).

Environment: ``VNET_ARTIFACT_VENVS`` -- the matrix as ``label=virtualenv`` words (default
``2.16=.venv-216 2.19=.venv``; ``make artifact`` creates .venv-216). Logs go to tests/output/artifact.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import subprocess
import tarfile
from pathlib import Path

import pytest
import yaml
from packaging.specifiers import SpecifierSet
from packaging.version import Version

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
OUTPUT_DIR = REPO / 'tests' / 'output' / 'artifact'
SMOKE = HERE / 'smoke.yml'
EE_DEFINITION = REPO / 'docs' / 'ee' / 'execution-environment.yml'
NETNS_DIR = Path('/run/netns')
TIMEOUT = int(os.environ.get('VNET_ARTIFACT_TIMEOUT', '900'))
MODULE_PYTHON = '/usr/bin/python3'

# Left in a developer's tree by tools; none may reach the tarball.
PLANTED = (
    'plugins/modules/__pycache__/vnet_veth.cpython-311.pyc',
    'plugins/module_utils/stray.pyc',
    'tests/unit/plugins/__pycache__/conftest.cpython-311.pyc',
    '.pytest_cache/v/cache/lastfailed',
    'tests/unit/.pytest_cache/README.md',
    '.venv/bin/python',
    '.venv-216/bin/python',
    '.build/collections/placeholder',
    'tests/output/integration/vnet_veth-venv.log',
    '.hypothesis/examples/placeholder',
    'tests/unit/.hypothesis/examples/placeholder',
    '.ruff_cache/0.1.0/placeholder',
    'benchmarks/output/placeholder.json',
    'benchmarks/results/placeholder.json',
    '.ansible/collections/placeholder',
    'linux-vnet-0.0.1.tar.gz',
)
# Top-level names of the planted caches, left out of copies made from the planted tree.
PLANTED_TOP = sorted({name.split('/', 1)[0] for name in PLANTED if not name.startswith(('plugins/', 'tests/'))})
FORBIDDEN_PARTS = {
    '__pycache__',
    '.pytest_cache',
    '.venv',
    '.build',
    '.hypothesis',
    '.ruff_cache',
    '.mypy_cache',
    '.ansible',
    '.git',
    '.ci',
}
FORBIDDEN_PREFIXES = ('tests/output', 'benchmarks/output', 'benchmarks/results')
FORBIDDEN_SUFFIXES = ('.pyc', '.pyo', '.tar.gz', '.retry')
REQUIRED = (
    'MANIFEST.json',
    'FILES.json',
    'README.md',
    'COPYING',
    'meta/runtime.yml',
    'meta/execution-environment.yml',
    'meta/ee-requirements.txt',
    'meta/ee-bindep.txt',
    'plugins/doc_fragments/link.py',
    'changelogs/changelog.yaml',
    'docs/user_guide.md',
    'docs/troubleshooting.md',
    'docs/execution_environment.md',
)


def run(command, log_name=None, **kwargs):
    kwargs.setdefault('timeout', TIMEOUT)
    proc = subprocess.run(
        [str(c) for c in command],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        check=False,
        **kwargs,
    )
    if log_name:
        OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
        (OUTPUT_DIR / log_name).write_text('$ %s\n%s' % (' '.join(map(str, command)), proc.stdout), encoding='utf-8')
    return proc


def check(proc, what):
    assert proc.returncode == 0, '%s failed (exit %s):\n%s' % (what, proc.returncode, proc.stdout[-20000:])
    return proc.stdout


def galaxy_meta():
    return yaml.safe_load((REPO / 'galaxy.yml').read_text(encoding='utf-8'))


def matrix():
    words = os.environ.get('VNET_ARTIFACT_VENVS', '2.16=.venv-216 2.19=.venv').split()
    pairs = []
    for word in words:
        label, _sep, venv = word.partition('=')
        path = Path(venv)
        pairs.append((label, path if path.is_absolute() else REPO / path))
    return pairs


MATRIX = matrix()


def ansible_env(collections_path, home):
    """Nothing but the installed artifact: one collections path, no config file, no sys.path scan."""
    env = {k: v for k, v in os.environ.items() if not k.startswith('ANSIBLE_') and k != 'PYTHONPATH'}
    home.mkdir(parents=True, exist_ok=True)
    config = home / 'ansible.cfg'
    config.write_text('[defaults]\n', encoding='utf-8')
    env.update(
        ANSIBLE_CONFIG=str(config),
        ANSIBLE_HOME=str(home),
        ANSIBLE_LOCAL_TEMP=str(home / 'tmp'),
        ANSIBLE_COLLECTIONS_PATH=str(collections_path),
        ANSIBLE_COLLECTIONS_SCAN_SYS_PATH='false',
        ANSIBLE_ROLES_PATH=str(home / 'roles'),
        ANSIBLE_NOCOLOR='1',
        ANSIBLE_FORCE_COLOR='0',
        ANSIBLE_PIPELINING='true',
        ANSIBLE_RETRY_FILES_ENABLED='false',
        ANSIBLE_DEPRECATION_WARNINGS='true',
        PYTHONDONTWRITEBYTECODE='1',
    )
    return env


# --- build ------------------------------------------------------------------------------------


def source_files():
    out = subprocess.run(
        ['git', 'ls-files', '-z', '-co', '--exclude-standard'], cwd=REPO, capture_output=True, check=True
    ).stdout
    return [name for name in out.decode().split('\0') if name]


@pytest.fixture(scope='session')
def workdir(tmp_path_factory):
    return tmp_path_factory.mktemp('artifact')


@pytest.fixture(scope='session')
def tarball(workdir):
    """Build from a clean copy with a developer's caches planted in it."""
    newest = MATRIX[-1][1]
    galaxy = newest / 'bin' / 'ansible-galaxy'
    if not galaxy.exists():
        pytest.fail('%s missing: run make deps' % galaxy, pytrace=False)
    source = workdir / 'src' / 'ansible_collections' / 'linux' / 'vnet'
    for name in source_files():
        origin = REPO / name
        if not origin.is_file():  # deleted in the work tree but still tracked
            continue
        target = source / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(origin, target)
    for name in PLANTED:
        planted = source / name
        planted.parent.mkdir(parents=True, exist_ok=True)
        planted.write_text('planted by tests/artifact: must not be in the tarball\n', encoding='utf-8')
    dist = workdir / 'dist'
    check(
        run([galaxy, 'collection', 'build', '--output-path', dist, source], 'build.log', cwd=workdir),
        'ansible-galaxy collection build',
    )
    meta = galaxy_meta()
    built = dist / ('%s-%s-%s.tar.gz' % (meta['namespace'], meta['name'], meta['version']))
    assert built.is_file(), sorted(p.name for p in dist.iterdir())
    return built


def member_name(member):
    return member.name[2:] if member.name.startswith('./') else member.name


def test_tarball_contents(tarball, capsys):
    with tarfile.open(tarball) as archive:
        members = archive.getmembers()
        manifest = json.load(archive.extractfile('MANIFEST.json'))
    names = [member_name(m) for m in members]
    files = [member_name(m) for m in members if m.isfile()]
    junk = [
        n
        for n in names
        if FORBIDDEN_PARTS.intersection(n.split('/'))
        or n.startswith(FORBIDDEN_PREFIXES)
        or n.endswith(FORBIDDEN_SUFFIXES)
    ]
    assert not junk, 'build_ignore in galaxy.yml lets these into the tarball: %s' % junk
    missing = [name for name in REQUIRED if name not in files]
    tracked_plugins = [n for n in source_files() if n.startswith('plugins/') and (REPO / n).is_file()]
    missing += [name for name in tracked_plugins if name not in files]
    assert not missing, 'missing from the tarball: %s' % missing
    assert not [m.name for m in members if m.issym() or m.islnk()], 'links in the tarball'
    meta = galaxy_meta()
    info = manifest['collection_info']
    assert (info['namespace'], info['name'], info['version']) == (meta['namespace'], meta['name'], meta['version'])
    size = tarball.stat().st_size
    summary = '%s: %d bytes (%.1f KiB), %d files (%d entries)' % (
        tarball.name,
        size,
        size / 1024,
        len(files),
        len(names),
    )
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    (OUTPUT_DIR / 'tarball.txt').write_text(summary + '\n' + '\n'.join(sorted(files)) + '\n', encoding='utf-8')
    with capsys.disabled():
        print('\n[artifact] %s' % summary)
    assert size < 2 * 1024 * 1024, 'the tarball grew past 2 MiB: %s' % summary


# --- the version matrix -----------------------------------------------------------------------


def ansible_version(venv):
    python = venv / 'bin' / 'python'
    if not python.exists():
        pytest.fail('no virtualenv at %s: run make artifact (it creates it)' % venv, pytrace=False)
    out = check(run([python, '-c', 'import ansible.release as r; print(r.__version__)']), 'ansible version')
    return Version(out.strip())


def test_matrix_spans_requires_ansible():
    """The oldest venv is the floor meta/runtime.yml allows; every venv is allowed by it."""
    runtime = yaml.safe_load((REPO / 'meta' / 'runtime.yml').read_text(encoding='utf-8'))
    allowed = SpecifierSet(runtime['requires_ansible'])
    floors = [Version(s.version) for s in allowed if s.operator in ('>=', '==', '~=')]
    assert floors, 'requires_ansible %r has no lower bound' % runtime['requires_ansible']
    floor = max(floors)
    versions = {label: ansible_version(venv) for label, venv in MATRIX}
    for label, version in versions.items():
        assert version in allowed, '%s: ansible-core %s is not allowed by requires_ansible %s' % (
            label,
            version,
            allowed,
        )
        assert label == '%d.%d' % (version.major, version.minor), 'venv labelled %s runs ansible-core %s' % (
            label,
            version,
        )
    oldest = min(versions.values())
    assert (oldest.major, oldest.minor) == (floor.major, floor.minor), (
        'the matrix starts at %s but requires_ansible allows %s' % (oldest, floor)
    )


@pytest.fixture(scope='session')
def installed(tarball, workdir):
    """label -> (collections path, env, venv): the tarball installed by that version's ansible-galaxy."""
    cache = {}

    def install(label):
        if label not in cache:
            venv = dict(MATRIX)[label]
            ansible_version(venv)
            path = workdir / ('collections-%s' % label)
            env = ansible_env(path, workdir / ('home-%s' % label))
            check(
                run(
                    [venv / 'bin' / 'ansible-galaxy', 'collection', 'install', '-p', path, tarball],
                    'install-%s.log' % label,
                    env=env,
                    cwd=workdir,
                ),
                'ansible-galaxy %s collection install' % label,
            )
            cache[label] = (path, env, venv)
        return cache[label]

    return install


LABELS = [label for label, _venv in MATRIX]


@pytest.mark.parametrize('label', LABELS)
def test_installed_artifact_only(installed, label, workdir):
    path, env, venv = installed(label)
    out = check(
        run([venv / 'bin' / 'ansible-galaxy', 'collection', 'list', '--format', 'json'], env=env, cwd=workdir),
        'ansible-galaxy collection list',
    )
    # ansible-core 2.19 lists its own internal ansible._protomatter; any other collection is foreign.
    listing = {
        where: {name: info for name, info in found.items() if not name.startswith('ansible.')}
        for where, found in json.loads(out).items()
    }
    listing = {where: found for where, found in listing.items() if found}
    assert listing == {str(path / 'ansible_collections'): {'linux.vnet': {'version': galaxy_meta()['version']}}}, (
        listing
    )
    check(
        run(
            [venv / 'bin' / 'ansible-galaxy', 'collection', 'verify', '--offline', 'linux.vnet'],
            'verify-%s.log' % label,
            env=env,
            cwd=workdir,
        ),
        'ansible-galaxy %s collection verify --offline' % label,
    )


@pytest.mark.parametrize('label', LABELS)
def test_documentation_loads(installed, label, workdir):
    """ansible-doc of that version parses every plugin's and role's documentation (doc fragments too)."""
    path, env, venv = installed(label)
    root = path / 'ansible_collections' / 'linux' / 'vnet'
    plugins = {
        'module': sorted(p.stem for p in (root / 'plugins' / 'modules').glob('*.py') if not p.stem.startswith('_')),
        'connection': sorted(p.stem for p in (root / 'plugins' / 'connection').glob('*.py')),
        'filter': sorted(p.stem for p in (root / 'plugins' / 'filter').glob('*.yml')),
        'role': sorted(p.parent.parent.name for p in (root / 'roles').glob('*/meta/argument_specs.yml')),
    }
    assert len(plugins['module']) >= 10, plugins
    for kind, names in plugins.items():
        if not names:
            continue
        fqcns = ['linux.vnet.%s' % name for name in names]
        out = check(
            run(
                [venv / 'bin' / 'ansible-doc', '--json', '-t', kind] + fqcns,
                'doc-%s-%s.log' % (kind, label),
                env=env,
                cwd=workdir,
            ),
            'ansible-doc %s -t %s' % (label, kind),
        )
        docs = json.loads(out[out.index('{') :])
        assert sorted(docs) == fqcns, 'ansible-doc %s -t %s returned %s' % (label, kind, sorted(docs))
        for fqcn, doc in docs.items():
            if kind == 'role':
                assert doc.get('entry_points'), '%s: no entry points' % fqcn
            else:
                assert doc.get('doc', {}).get('short_description'), '%s: documentation did not load' % fqcn
                assert str(root) in doc['doc'].get('filename', str(root)), doc['doc'].get('filename')


# --- the smoke playbook -----------------------------------------------------------------------


def prefixed(prefix):
    try:
        namespaces = sorted(n for n in os.listdir(NETNS_DIR) if n.startswith(prefix))
    except FileNotFoundError:
        namespaces = []
    out = subprocess.run(['ip', '-j', 'link', 'show'], capture_output=True, text=True, check=True).stdout
    links = sorted(link['ifname'] for link in json.loads(out or '[]') if link.get('ifname', '').startswith(prefix))
    return namespaces, links


def fresh_prefix():
    """'va' + 4 random hex digits that no namespace or link uses yet."""
    for _attempt in range(100):
        prefix = 'va' + secrets.token_hex(2)
        if prefixed(prefix) == ([], []):
            return prefix
    raise RuntimeError('no free random prefix')


def remove_leftovers(prefix):
    assert re.fullmatch(r'va[0-9a-f]{4}', prefix), prefix
    namespaces, links = prefixed(prefix)
    for link in links:
        subprocess.run(['ip', 'link', 'del', 'dev', link], capture_output=True, check=False)
    for namespace in namespaces:
        subprocess.run(['ip', 'netns', 'del', namespace], capture_output=True, check=False)
    return ['namespace %s' % n for n in namespaces] + ['link %s' % n for n in links]


@pytest.mark.parametrize('label', LABELS)
def test_smoke_playbook(installed, label, workdir):
    if os.geteuid() != 0:
        pytest.skip('the smoke playbook creates namespaces: needs root')
    if not os.access(MODULE_PYTHON, os.X_OK):
        pytest.skip('no %s for the modules' % MODULE_PYTHON)
    _path, env, venv = installed(label)
    prefix = fresh_prefix()
    try:
        proc = run(
            [
                venv / 'bin' / 'ansible-playbook',
                '-i',
                'localhost,',
                '-c',
                'local',
                '-e',
                'ansible_python_interpreter=%s' % MODULE_PYTHON,
                '-e',
                'vnet_prefix=%s' % prefix,
                SMOKE,
            ],
            'smoke-%s.log' % label,
            env=env,
            cwd=workdir,
        )
    finally:
        leaked = remove_leftovers(prefix)
    problems = []
    if proc.returncode != 0:
        problems.append('smoke playbook with ansible-core %s exited %s (prefix %s)' % (label, proc.returncode, prefix))
    if leaked:
        problems.append('left behind: %s' % ', '.join(leaked))
    assert not problems, '\n'.join(problems) + '\n\n' + proc.stdout[-20000:]


# --- execution environment --------------------------------------------------------------------


def builder():
    path = MATRIX[-1][1] / 'bin' / 'ansible-builder'
    if not path.exists():
        pytest.fail('%s missing: run make deps (tests/requirements.txt has ansible-builder)' % path, pytrace=False)
    return path


def test_ee_introspect_finds_the_requirements(installed, workdir):
    """What ansible-builder installs into an image that includes the built collection."""
    path, _env, _venv = installed(LABELS[-1])
    pip, bindep = workdir / 'ee-pip.txt', workdir / 'ee-bindep.txt'
    check(
        run(
            [builder(), 'introspect', '--sanitize', path, '--write-pip', pip, '--write-bindep', bindep],
            'ee-introspect.log',
        ),
        'ansible-builder introspect',
    )
    python = pip.read_text(encoding='utf-8').splitlines()
    system = bindep.read_text(encoding='utf-8').splitlines()
    for name in ('pyroute2', 'ovs'):
        assert any(re.match(r'%s\b.*# from collection linux\.vnet' % name, line) for line in python), python
    assert any(line.startswith('iproute2 [platform:dpkg]') for line in system), system
    assert any(line.startswith('iproute [platform:rpm]') for line in system), system


def test_ee_definition_creates_a_build_context(tarball, workdir):
    """docs/ee/execution-environment.yml (schema 3) with the freshly built tarball beside it."""
    definition = yaml.safe_load(EE_DEFINITION.read_text(encoding='utf-8'))
    assert definition['version'] == 3
    sources = [entry['src'] for entry in definition.get('additional_build_files', [])]
    assert tarball.name in sources, '%s must name %s (the version in galaxy.yml)' % (EE_DEFINITION, tarball.name)
    here = workdir / 'ee'
    here.mkdir()
    shutil.copy2(EE_DEFINITION, here / EE_DEFINITION.name)
    shutil.copy2(tarball, here / tarball.name)
    context = here / 'context'
    check(
        run(
            [
                builder(),
                'create',
                '-f',
                here / EE_DEFINITION.name,
                '--context',
                context,
                '--output-filename',
                'Containerfile',
            ],
            'ee-create.log',
            cwd=here,
        ),
        'ansible-builder create',
    )
    containerfile = (context / 'Containerfile').read_text(encoding='utf-8')
    assert 'ansible-galaxy collection install' in containerfile
    requirements = yaml.safe_load((context / '_build' / 'requirements.yml').read_text(encoding='utf-8'))
    names = [entry['name'] for entry in requirements['collections']]
    assert names == ['collections/%s' % tarball.name], names
    assert (context / '_build' / 'collections' / tarball.name).is_file()


# --- changelog --------------------------------------------------------------------------------


def antsibull_changelog():
    path = MATRIX[-1][1] / 'bin' / 'antsibull-changelog'
    if not path.exists():
        pytest.fail('%s missing: run make deps' % path, pytrace=False)
    return path


def test_changelog_fragments_lint():
    check(run([antsibull_changelog(), 'lint'], 'changelog-lint.log', cwd=REPO), 'antsibull-changelog lint')


def test_changelog_release_renders(tarball, workdir):
    """`antsibull-changelog release` on a copy (it consumes the fragments, so never in the work tree)."""
    copy = workdir / 'release' / 'ansible_collections' / 'linux' / 'vnet'
    source = workdir / 'src' / 'ansible_collections' / 'linux' / 'vnet'  # made by the tarball fixture
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(*PLANTED_TOP))
    fragments = {
        f.name: yaml.safe_load(f.read_text(encoding='utf-8')) for f in (copy / 'changelogs' / 'fragments').glob('*.yml')
    }
    assert fragments, 'no changelog fragments'
    version = galaxy_meta()['version']
    env = dict(os.environ, PATH='%s:%s' % (MATRIX[-1][1] / 'bin', os.environ.get('PATH', '')))
    env['ANSIBLE_COLLECTIONS_PATH'] = str(workdir / 'release')
    check(
        run(
            [antsibull_changelog(), 'release', '--version', version, '--date', '2000-01-01'],
            'changelog-release.log',
            cwd=copy,
            env=env,
        ),
        'antsibull-changelog release (in a copy)',
    )
    rendered = (copy / 'CHANGELOG.rst').read_text(encoding='utf-8')
    assert 'v%s' % version in rendered, rendered[:2000]
    for name, fragment in sorted(fragments.items()):
        for section in fragment.values():
            for entry in section if isinstance(section, list) else [section]:
                first_words = ' '.join(entry.split()[:4]).replace('``', '')
                assert first_words in rendered.replace('``', ''), '%s: %r not in CHANGELOG.rst' % (name, entry)
    assert 'linux.vnet.vnet_topology' in rendered, 'new modules are listed'
