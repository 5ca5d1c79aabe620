// Light / dark / system theme, saved in localStorage and applied as <html data-theme>.
import { useEffect } from 'react';
import { useStoredState } from '../lib/hooks';

export type ThemeChoice = 'system' | 'light' | 'dark';
const THEMES = ['system', 'light', 'dark'] as const;

export function useTheme(): [ThemeChoice, (t: ThemeChoice) => void] {
  const [theme, setTheme] = useStoredState<ThemeChoice>('mmg.theme', 'system', THEMES);
  useEffect(() => {
    const root = document.documentElement;
    if (theme === 'system') delete root.dataset.theme;
    else root.dataset.theme = theme;
  }, [theme]);
  return [theme, setTheme];
}

export function effectiveTheme(theme: ThemeChoice): 'light' | 'dark' {
  if (theme !== 'system') return theme;
  return window.matchMedia?.('(prefers-color-scheme: light)').matches ? 'light' : 'dark';
}
