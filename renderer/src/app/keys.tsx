/**
 * Keyboard shortcuts, once for the whole app. One window listener serves every key a screen or
 * the frame declares, so keys work wherever the focus is — after a click on a checkbox, switch,
 * chip, button or plot — except while the user types in a text field. (Mantine's useHotkeys
 * ignores every <input>, including checkboxes and chips, which left Alt+1…6, N and [ ] dead
 * after such a click.) Keys match the character typed, not the key position: "?" is Shift+/ on a
 * US keyboard and Shift+, on a French AZERTY one. Alt+digit matches the digit key's position too,
 * since AZERTY digits need Shift. Declared keys feed the help (?), so it lists the keys of the
 * screen in view.
 */
import { createContext, useContext, useEffect, useMemo, useRef, useSyncExternalStore, type ReactNode } from 'react';

/**
 * A key: a character ("d", "?", "[", "0"), a named key ("arrowdown", "enter", "escape"), or
 * modifiers and a key ("alt+1", "mod+enter"; mod = Ctrl or Cmd).
 */
export type KeySpec = string;

/** One shortcut: its key(s), what it does (for the help; omitted = not listed) and its action. */
export interface KeyBinding {
  keys: KeySpec | KeySpec[];
  help?: string;
  /** Omitted for keys a component handles itself but that belong in the help (e.g. ↑/↓ in a table). */
  run?: (e: KeyboardEvent) => void;
  /** Fire on auto-repeat while the key is held (navigation keys); never for keys that log or save. */
  repeat?: boolean;
  /** Also fire while a dialog is open (the frame's own keys). */
  inDialogs?: boolean;
  /** How the help shows the key, when the spec is not readable as is. */
  label?: string;
}

const NON_TEXT_INPUTS = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file', 'image']);

/** Whether keys typed at `el` are text for a field (so shortcuts must leave them alone). */
export function isTypingTarget(el: EventTarget | null): boolean {
  if (!(el instanceof HTMLElement)) return false;
  if (el.isContentEditable) return true;
  if (el instanceof HTMLTextAreaElement || el instanceof HTMLSelectElement) return true;
  if (el instanceof HTMLInputElement) return !NON_TEXT_INPUTS.has(el.type) && !el.readOnly;
  return false;
}

const NAMED: Record<string, string> = { esc: 'escape', space: ' ', slash: '/', plus: '+', minus: '-' };

/** Whether keyboard event `e` is the key `spec`. */
export function matchesKey(spec: KeySpec, e: Pick<KeyboardEvent, 'key' | 'code' | 'altKey' | 'ctrlKey' | 'metaKey' | 'shiftKey'>): boolean {
  const parts = spec.toLowerCase().split('+');
  const key = parts.length > 1 && parts[parts.length - 1] === '' ? '+' : parts[parts.length - 1];
  const mods = new Set(parts.slice(0, -1));
  const wantAlt = mods.has('alt');
  const wantMod = mods.has('mod') || mods.has('ctrl') || mods.has('meta');
  if (e.altKey !== wantAlt) return false;
  if ((e.ctrlKey || e.metaKey) !== wantMod) return false;
  if (mods.has('shift') && !e.shiftKey) return false;
  const name = NAMED[key] ?? key;
  if (name.length === 1) {
    if (/[0-9]/.test(name) && (e.code === `Digit${name}` || e.code === `Numpad${name}`)) return true;
    // Characters match what was typed, whichever keys and Shift it took on this layout.
    return e.key.toLowerCase() === name;
  }
  return e.key.toLowerCase() === name;
}

/**
 * Whether the key was typed in a dialog (Mantine Modal or Drawer, which keep the focus inside
 * while open): its keys then belong to the dialog — Enter confirms, Esc closes — not the screen.
 */
function isInDialog(target: EventTarget | null): boolean {
  return target instanceof Element && target.closest('[role="dialog"]') !== null;
}

/**
 * Whether a modal dialog is over the screen: screen keys wait for it (Mantine closes a Modal on
 * Escape from anywhere, so that Escape must not also clear the screen's selection). A dialog
 * fading out is no longer over it: every Mantine transition styles the leaving element with
 * opacity 0 for up to 200 ms, and "d" pressed right after Esc on a confirmation asks again.
 */
function isModalOpen(): boolean {
  return [...document.querySelectorAll<HTMLElement>('[role="dialog"][aria-modal="true"]')].some((d) => d.style.opacity !== '0');
}

interface Registration {
  scope: string;
  bindings: KeyBinding[];
}

/** Every declared binding, newest last; the help reads it, the listener walks it. */
class KeyRegistry {
  private readonly entries = new Map<number, Registration>();
  private nextId = 1;
  private readonly listeners = new Set<() => void>();
  private snapshot: Registration[] = [];

  add(reg: Registration): number {
    const id = this.nextId++;
    this.entries.set(id, reg);
    this.changed();
    return id;
  }

  update(id: number, reg: Registration): void {
    this.entries.set(id, reg);
    this.changed();
  }

  remove(id: number): void {
    this.entries.delete(id);
    this.changed();
  }

  all(): Registration[] {
    return this.snapshot;
  }

  subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  private changed(): void {
    this.snapshot = [...this.entries.values()];
    for (const l of this.listeners) l();
  }

  /** Run the first binding (latest declared first) that `e` matches; returns whether one ran. */
  dispatch(e: KeyboardEvent): boolean {
    if (e.defaultPrevented || e.isComposing) return false;
    const typing = isTypingTarget(e.target);
    const dialog = isInDialog(e.target) || isModalOpen();
    const regs = [...this.entries.values()].reverse();
    for (const reg of regs) {
      for (const b of reg.bindings) {
        if (!b.run) continue;
        const specs = Array.isArray(b.keys) ? b.keys : [b.keys];
        if (!specs.some((s) => matchesKey(s, e))) continue;
        // While typing, only keys with a modifier (Alt+1, Ctrl+Enter) are shortcuts.
        if (typing && !(e.altKey || e.ctrlKey || e.metaKey)) continue;
        if (dialog && !b.inDialogs) continue;
        if (e.repeat && !b.repeat) {
          e.preventDefault();
          return true;
        }
        e.preventDefault();
        b.run(e);
        return true;
      }
    }
    return false;
  }
}

const KeyRegistryContext = createContext<KeyRegistry | null>(null);

/** Provides the registry and its single window listener. */
export function KeyProvider({ children }: { children: ReactNode }) {
  const registry = useMemo(() => new KeyRegistry(), []);
  useEffect(() => {
    const onKeyDown = (e: KeyboardEvent) => {
      if (registry.dispatch(e)) return;
      // Escape leaves a text field, so the next key is a shortcut again.
      if (e.key === 'Escape' && isTypingTarget(e.target) && !isInDialog(e.target)) (e.target as HTMLElement).blur();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [registry]);
  return <KeyRegistryContext.Provider value={registry}>{children}</KeyRegistryContext.Provider>;
}

function useRegistry(): KeyRegistry {
  const registry = useContext(KeyRegistryContext);
  if (!registry) throw new Error('useKeys needs a <KeyProvider> above it');
  return registry;
}

/**
 * Declare keys of `scope` ("global", or a screen id) for as long as the component is mounted.
 * Bindings may change every render; the latest ones run.
 */
export function useKeys(scope: string, bindings: KeyBinding[]): void {
  const registry = useRegistry();
  const id = useRef<number | null>(null);
  const latest = useRef(bindings);
  latest.current = bindings;
  // Actions go through the ref so a re-render never re-registers; the help text is what may change.
  const helpKey = bindings.map((b) => `${String(b.keys)}:${b.help ?? ''}:${b.label ?? ''}`).join('|');
  useEffect(() => {
    const reg = {
      scope,
      bindings: latest.current.map((b, i) => ({ ...b, run: b.run ? (e: KeyboardEvent) => latest.current[i]?.run?.(e) : undefined })),
    };
    if (id.current === null) id.current = registry.add(reg);
    else registry.update(id.current, reg);
  }, [registry, scope, helpKey]);
  useEffect(
    () => () => {
      if (id.current !== null) registry.remove(id.current);
      id.current = null;
    },
    [registry],
  );
}

/** The keys declared for `scopes` (in declaration order), for the help. */
export function useDeclaredKeys(scopes: string[]): Array<{ scope: string; label: string; help: string }> {
  const registry = useRegistry();
  const regs = useSyncExternalStore(registry.subscribe, () => registry.all());
  const wanted = scopes.join('|');
  return useMemo(() => {
    const list = wanted.split('|');
    const out: Array<{ scope: string; label: string; help: string }> = [];
    for (const scope of list) {
      for (const reg of regs.filter((r) => r.scope === scope)) {
        for (const b of reg.bindings) {
          if (!b.help) continue;
          const label = b.label ?? (Array.isArray(b.keys) ? b.keys : [b.keys]).map(keyLabel).join(' / ');
          if (!out.some((o) => o.label === label && o.scope === scope)) out.push({ scope, label, help: b.help });
        }
      }
    }
    return out;
  }, [regs, wanted]);
}

/** How the help writes a key spec: "alt+1" → "Alt+1", "arrowdown" → "↓". */
export function keyLabel(spec: KeySpec): string {
  const arrows: Record<string, string> = { arrowdown: '↓', arrowup: '↑', arrowleft: '←', arrowright: '→', enter: 'Enter', escape: 'Esc' };
  return spec
    .split('+')
    .map((p) => arrows[p.toLowerCase()] ?? (p === 'mod' ? 'Ctrl' : p.length === 1 ? p.toUpperCase() : p[0].toUpperCase() + p.slice(1)))
    .join('+');
}
