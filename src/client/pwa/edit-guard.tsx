import { createContext, useContext, useEffect, useId, useState, useSyncExternalStore, type ReactNode } from 'react';

/** Which forms hold typing that is not saved yet; an app update waits while any does. */
interface EditGuard {
  setEditing(formId: string, isEditing: boolean): void;
  subscribe(listener: () => void): () => void;
  isEditing(): boolean;
}

function createEditGuard(): EditGuard {
  const editing = new Set<string>();
  const listeners = new Set<() => void>();
  return {
    setEditing(formId, isEditing) {
      const had = editing.has(formId);
      if (isEditing) editing.add(formId);
      else editing.delete(formId);
      if (had !== isEditing) listeners.forEach((l) => l());
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    isEditing: () => editing.size > 0,
  };
}

const EditGuardContext = createContext<EditGuard | null>(null);

export function EditGuardProvider({ children }: { children: ReactNode }) {
  const [guard] = useState(createEditGuard);
  return <EditGuardContext.Provider value={guard}>{children}</EditGuardContext.Provider>;
}

function useGuard(): EditGuard {
  const guard = useContext(EditGuardContext);
  if (!guard) throw new Error('EditGuardProvider is missing above this component');
  return guard;
}

/** A form calls this with its dirty state; unmounting clears it. */
export function useEditingMark(isEditing: boolean) {
  const guard = useGuard();
  const formId = useId();
  useEffect(() => {
    guard.setEditing(formId, isEditing);
    return () => guard.setEditing(formId, false);
  }, [guard, formId, isEditing]);
}

export function useIsAnyFormEditing(): boolean {
  const guard = useGuard();
  return useSyncExternalStore(guard.subscribe, guard.isEditing);
}
