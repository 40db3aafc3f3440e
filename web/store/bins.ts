import { signal } from '@preact/signals';
import type { Bin } from '../../shared/api.ts';
import type { ApiClient } from '../api/client.ts';

export type BinsStore = ReturnType<typeof createBinsStore>;

/** The list of bins on the home page. */
export function createBinsStore(client: ApiClient) {
  const bins = signal<Bin[] | null>(null);
  const error = signal<string | null>(null);

  async function load(): Promise<void> {
    try {
      const list = await client.listBins();
      bins.value = list.bins;
      error.value = null;
    } catch (e) {
      error.value = (e as Error).message;
    }
  }

  async function create(id?: string): Promise<Bin> {
    const bin = await client.createBin(id ? { id } : {});
    bins.value = [bin, ...(bins.value ?? []).filter((b) => b.id !== bin.id)];
    return bin;
  }

  async function remove(id: string): Promise<void> {
    await client.deleteBin(id);
    bins.value = (bins.value ?? []).filter((b) => b.id !== id);
  }

  return { bins, error, load, create, remove };
}
