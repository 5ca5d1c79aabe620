// Which demo photos exist: one day photo per location, a night photo where the location is lit
// at night. The SQL seed (rows + frames) and the photo upload both read this plan.
import { renderBillboardPhoto, type BillboardPhoto } from './billboard-photo.ts';
import { LOCATIONS, type SeedLocation } from './inventory.ts';

export interface PlannedPhoto {
  location: SeedLocation;
  timeOfDay: 'day' | 'night';
  /** Object name in the location-photos bucket: <company>/<key>/outdoor/<tod>/gold/<Pascal>_<n>.png */
  storagePath: string;
  seed: number;
}

const pascal = (key: string) => key.split('_').map((p) => p.charAt(0).toUpperCase() + p.slice(1)).join('');

export function photoPlan(): PlannedPhoto[] {
  const plan: PlannedPhoto[] = [];
  LOCATIONS.forEach((location, i) => {
    const times: ('day' | 'night')[] = location.night ? ['day', 'night'] : ['day'];
    times.forEach((timeOfDay, j) => {
      plan.push({
        location,
        timeOfDay,
        storagePath: `${location.company}/${location.key}/outdoor/${timeOfDay}/gold/${pascal(location.key)}_${j + 1}.png`,
        seed: 1000 + i * 10 + j,
      });
    });
  });
  return plan;
}

export function renderPlannedPhoto(p: PlannedPhoto): BillboardPhoto {
  return renderBillboardPhoto({
    seed: p.seed,
    timeOfDay: p.timeOfDay,
    orientation: p.location.portrait ? 'portrait' : 'landscape',
  });
}
