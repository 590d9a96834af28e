import {
  createPrompt,
  isDownKey,
  isEnterKey,
  isSpaceKey,
  isTabKey,
  isUpKey,
  makeTheme,
  useKeypress,
  useMemo,
  usePagination,
  usePrefix,
  useState,
} from '@inquirer/core';

export interface SearchCheckboxConfig {
  message: string;
  choices: { name: string; value: string; checked?: boolean }[];
  pageSize?: number;
}

/**
 * A checkbox list with type-to-filter (inquirer's own checkbox has no search): typing narrows the
 * list, space or tab toggles the highlighted row, enter submits every checked row, including rows
 * hidden by the current filter.
 */
export const searchCheckbox = createPrompt<string[], SearchCheckboxConfig>((config, done) => {
  const theme = makeTheme({});
  const [status, setStatus] = useState<'idle' | 'done'>('idle');
  const [term, setTerm] = useState('');
  const [checked, setChecked] = useState<ReadonlySet<string>>(new Set(config.choices.filter((c) => c.checked).map((c) => c.value)));
  const [active, setActive] = useState(0);
  const prefix = usePrefix({ status, theme });
  const visible = useMemo(() => {
    const needle = term.trim().toUpperCase();
    return config.choices.filter((choice) => choice.name.toUpperCase().includes(needle));
  }, [term]);
  const current = visible[Math.min(active, visible.length - 1)];

  useKeypress((key, rl) => {
    if (isEnterKey(key)) {
      setStatus('done');
      done(config.choices.filter((c) => checked.has(c.value)).map((c) => c.value));
    } else if (isSpaceKey(key) || isTabKey(key)) {
      rl.clearLine(0); // the key must not become part of the filter
      rl.write(term);
      if (!current) return;
      const next = new Set(checked);
      if (next.has(current.value)) next.delete(current.value);
      else next.add(current.value);
      setChecked(next);
    } else if (isUpKey(key) || isDownKey(key)) {
      rl.clearLine(0);
      rl.write(term);
      if (visible.length === 0) return;
      const offset = isUpKey(key) ? -1 : 1;
      setActive((Math.min(active, visible.length - 1) + offset + visible.length) % visible.length);
    } else {
      setTerm(rl.line);
      setActive(0);
    }
  });

  const message = theme.style.message(config.message, status);
  if (status === 'done') {
    const names = config.choices.filter((c) => checked.has(c.value)).map((c) => c.name);
    return `${prefix} ${message} ${theme.style.answer(names.length ? names.join(', ') : '(none)')}`;
  }
  const page = usePagination({
    items: visible,
    active: Math.min(active, Math.max(visible.length - 1, 0)),
    pageSize: config.pageSize ?? 10,
    loop: false,
    renderItem({ item, isActive }) {
      const box = checked.has(item.value) ? '◉' : '◯';
      const line = `${isActive ? '❯' : ' '}${box} ${item.name}`;
      return isActive ? theme.style.highlight(line) : line;
    },
  });
  const header = `${prefix} ${message} ${term ? theme.style.answer(term) : theme.style.help('(type to filter)')}`;
  const body = [
    visible.length ? page : theme.style.error(`No match for "${term}"`),
    theme.style.help(`${checked.size} selected · space/tab toggle · ↑↓ move · ⏎ done`),
  ].join('\n');
  return [header, body];
});
