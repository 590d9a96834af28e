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

/** The set with `value` added or removed. */
function toggled(set: ReadonlySet<string>, value: string): ReadonlySet<string> {
  const next = new Set(set);
  if (!next.delete(value)) next.add(value);
  return next;
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
  const [cursor, setCursor] = useState(0);
  const prefix = usePrefix({ status, theme });
  const visible = useMemo(() => config.choices.filter((c) => c.name.toUpperCase().includes(term.trim().toUpperCase())), [term]);
  const active = Math.min(cursor, Math.max(visible.length - 1, 0));

  useKeypress((key, rl) => {
    if (isEnterKey(key)) {
      setStatus('done');
      done(config.choices.filter((c) => checked.has(c.value)).map((c) => c.value));
      return;
    }
    const control = isSpaceKey(key) || isTabKey(key) || isUpKey(key) || isDownKey(key);
    if (!control) {
      setTerm(rl.line);
      setCursor(0);
      return;
    }
    rl.clearLine(0); // keys that act on the list must not become part of the filter
    rl.write(term);
    const current = visible[active];
    if (!current) return;
    if (isSpaceKey(key) || isTabKey(key)) setChecked(toggled(checked, current.value));
    else setCursor((active + (isUpKey(key) ? -1 : 1) + visible.length) % visible.length);
  });

  const page = usePagination({
    items: visible,
    active,
    pageSize: config.pageSize ?? 10,
    loop: false,
    renderItem: ({ item, isActive }) => {
      const line = `${isActive ? '❯' : ' '}${checked.has(item.value) ? '◉' : '◯'} ${item.name}`;
      return isActive ? theme.style.highlight(line) : line;
    },
  });
  const message = theme.style.message(config.message, status);
  if (status === 'done') {
    const names = config.choices.filter((c) => checked.has(c.value)).map((c) => c.name);
    return `${prefix} ${message} ${theme.style.answer(names.length ? names.join(', ') : '(none)')}`;
  }
  const header = `${prefix} ${message} ${term ? theme.style.answer(term) : theme.style.help('(type to filter)')}`;
  const help = theme.style.help(`${checked.size} selected · space/tab toggle · ↑↓ move · ⏎ done`);
  return [header, `${visible.length ? page : theme.style.error(`No match for "${term}"`)}\n${help}`];
});
