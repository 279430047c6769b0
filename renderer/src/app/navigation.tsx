/** Which screen is shown, with optional parameters (e.g. the target a Target view opens on). */
import { createContext, useCallback, useContext, useState, type ReactNode } from 'react';

export type NavParams = Record<string, string | number | undefined>;

interface NavigationValue {
  screen: string;
  params: NavParams;
  navigate(screen: string, params?: NavParams): void;
}

const NavigationContext = createContext<NavigationValue>({ screen: 'survey', params: {}, navigate: () => {} });

export function NavigationProvider({ initial, children }: { initial: string; children: ReactNode }) {
  const [state, setState] = useState<{ screen: string; params: NavParams }>({ screen: initial, params: {} });
  const navigate = useCallback((screen: string, params: NavParams = {}) => setState({ screen, params }), []);
  return <NavigationContext.Provider value={{ ...state, navigate }}>{children}</NavigationContext.Provider>;
}

export function useNavigation(): NavigationValue {
  return useContext(NavigationContext);
}
