// Inline SVG icons (stroke = currentColor), decorative unless given a title.
import type { ToolId } from '../domains/session/tools';

const paths: Record<ToolId | 'menu' | 'sun' | 'moon' | 'logout' | 'download' | 'plus' | 'trash' | 'close', string> = {
  chat: 'M4 5h16v11H8l-4 4z',
  proposals: 'M6 3h9l4 4v14H6zM14 3v5h5M9 13h7M9 17h5',
  mockups: 'M3 5h18v14H3zM3 15l5-5 4 4 3-3 6 6',
  booking_orders: 'M5 4h14v16H5zM9 8h6M9 12h6M9 16h3',
  costs: 'M4 20V10M10 20V4M16 20v-7M22 20H2',
  admin: 'M12 3l8 3v6c0 5-3.5 8-8 9-4.5-1-8-4-8-9V6z',
  settings: 'M12 15a3 3 0 100-6 3 3 0 000 6zM19 12l2-1-2-4-2 .5-1.5-1L15 4h-4l-.5 2.5-1.5 1L7 7 5 11l2 1v1l-2 1 2 4 2-.5 1.5 1L11 20h4l.5-2.5 1.5-1 2 .5 2-4-2-1z',
  menu: 'M4 6h16M4 12h16M4 18h16',
  sun: 'M12 17a5 5 0 100-10 5 5 0 000 10zM12 1v2M12 21v2M4.2 4.2l1.4 1.4M18.4 18.4l1.4 1.4M1 12h2M21 12h2M4.2 19.8l1.4-1.4M18.4 5.6l1.4-1.4',
  moon: 'M21 12.8A9 9 0 1111.2 3a7 7 0 009.8 9.8z',
  logout: 'M9 21H5V3h4M16 17l5-5-5-5M21 12H9',
  download: 'M12 3v12M7 10l5 5 5-5M5 21h14',
  plus: 'M12 5v14M5 12h14',
  trash: 'M4 7h16M10 11v6M14 11v6M6 7l1 13h10l1-13M9 7V4h6v3',
  close: 'M6 6l12 12M18 6L6 18',
};

export type IconName = keyof typeof paths;

export function Icon({ name, title, className = 'nav-icon' }: { name: IconName; title?: string; className?: string }) {
  return (
    <svg className={className} viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8" strokeLinecap="round" strokeLinejoin="round" aria-hidden={title ? undefined : true} role={title ? 'img' : undefined}>
      {title ? <title>{title}</title> : null}
      <path d={paths[name]} />
    </svg>
  );
}
