// The studio's sections in sidebar order; Ctrl/Cmd+1…6 follow this order.
export const SECTIONS = [
  { id: 'assets', label: 'Assets' },
  { id: 'models', label: 'Models' },
  { id: 'playground', label: 'Playground' },
  { id: 'pricing', label: 'Pricing' },
  { id: 'orders', label: 'Orders' },
  { id: 'settings', label: 'Settings' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];

export function sectionLabel(id: SectionId): string {
  return SECTIONS.find((s) => s.id === id)?.label ?? id;
}
