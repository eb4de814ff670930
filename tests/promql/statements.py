"""Writes PromQL test files whose expected results come from cerniqtool, for
../shared/tools/promql_oracle.py to check against promtool 2.42: a differential test of the
evaluator. Used by random_statements.py and special_params.py."""
import os
import subprocess
import tempfile


def expected_block(tool, data_file, t, expr):
    """The eval statement for expr at t seconds, with cerniqtool's answer as the expectation;
    None when expr does not parse."""
    r = subprocess.run([tool, 'eval', '--data', data_file, '--time', f'{t}s', expr],
                       capture_output=True, text=True, timeout=60)
    if 'parse error' in r.stderr:
        return None
    if r.returncode != 0:
        return f'eval_fail instant at {t}s {expr}\n'
    body = []
    for line in r.stdout.splitlines():
        if line.startswith('scalar: '):
            body.append(line[len('scalar: '):].split(' @[')[0])
        elif ' => ' in line:
            labels, rest = line.split(' => ')
            body.append(f'{labels} {rest.split(" @[")[0]}')
    return f'eval instant at {t}s {expr}\n' + ''.join(f'  {b}\n' for b in body)


class Writer:
    """Collects eval statements over one data set (a `load` block) into a test file."""

    def __init__(self, tool, data):
        self.tool = tool
        self.blocks = [data]
        self.dir = tempfile.mkdtemp()
        self.data_file = os.path.join(self.dir, 'data.test')
        with open(self.data_file, 'w') as f:
            f.write(data)

    def add(self, t, expr):
        """Adds expr evaluated at t seconds; False when it does not parse."""
        block = expected_block(self.tool, self.data_file, t, expr)
        if block is None:
            return False
        self.blocks.append(block)
        return True

    def write(self, path):
        with open(path, 'w') as f:
            f.write('\n'.join(self.blocks))
        os.remove(self.data_file)
        os.rmdir(self.dir)
