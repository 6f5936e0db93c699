import type { NewUnitsFile, OldUnitsFile } from '../../../../shared/units/source.js';

/**
 * A small country with one case of each rule, in the shape of the two reference files:
 * - province 01 continues (merges [01 full]); 02 and 03 merge into a new 03 (so old 03 becomes 03-pre2025);
 * - 00001 and 00002 merge fully into a new 00001 (old 00001 becomes 00001-pre2025; 00002 keeps its id);
 * - 00004 continues under the same code, renamed from "Xã Bốn" to "Phường Bốn" and moved under the province;
 * - 00007 is split (partial) between new 00001 and new 00007; 00013 between new 00013 and new 00015;
 * - 00010 of old province 02 merges fully into new 00013 of new province 03;
 * - district 004 has no communes and becomes special zone 00099.
 */
export const oldFixture: OldUnitsFile = {
  data: [
    {
      level1_id: '01',
      name: 'Thành phố Alpha',
      type: 'Thành phố Trung ương',
      level2s: [
        {
          level2_id: '001',
          name: 'Quận Một',
          type: 'Quận',
          level3s: [
            { level3_id: '00001', name: 'Phường Một', type: 'Phường' },
            { level3_id: '00002', name: 'Phường Hai', type: 'Phường' },
            { level3_id: '00004', name: 'Xã Bốn', type: 'Xã' },
          ],
        },
        {
          level2_id: '002',
          name: 'Huyện Hai',
          type: 'Huyện',
          level3s: [
            { level3_id: '00007', name: 'Thị Trấn Bảy', type: 'Thị trấn' },
            { level3_id: '00008', name: 'Xã Tám', type: 'Xã' },
          ],
        },
      ],
    },
    {
      level1_id: '02',
      name: 'Tỉnh Beta',
      type: 'Tỉnh',
      level2s: [
        {
          level2_id: '003',
          name: 'Thành phố Ba',
          type: 'Thành phố',
          level3s: [{ level3_id: '00010', name: 'Phường Mười', type: 'Phường' }],
        },
        { level2_id: '004', name: 'Thị xã Bốn', type: 'Thị xã', level3s: [] },
      ],
    },
    {
      level1_id: '03',
      name: 'Tỉnh Gamma',
      type: 'Tỉnh',
      level2s: [
        {
          level2_id: '005',
          name: 'Huyện Năm',
          type: 'Huyện',
          level3s: [
            { level3_id: '00013', name: 'Xã Mười Ba', type: 'Xã' },
            { level3_id: '00015', name: 'Xã Mười Lăm', type: 'Xã' },
          ],
        },
      ],
    },
  ],
};

export const newFixture: NewUnitsFile = {
  data: [
    {
      level1_id: '01',
      name: 'Thành phố Alpha',
      merges: [{ old_id: '01', name: 'Thành phố Alpha', type: 'full' }],
      level2s: [
        {
          level2_id: '00001',
          name: 'Phường Một',
          merges: [
            { old_id: '00001', name: 'Phường Một', type: 'full' },
            { old_id: '00002', name: 'Phường Hai', type: 'full' },
            { old_id: '00007', name: 'Thị trấn Bảy', type: 'partial' },
          ],
        },
        { level2_id: '00004', name: 'Phường Bốn', merges: [{ old_id: '00004', name: 'Xã Bốn', type: 'full' }] },
        {
          level2_id: '00007',
          name: 'Xã Bảy',
          merges: [
            { old_id: '00007', name: 'Thị trấn Bảy', type: 'partial' },
            { old_id: '00008', name: 'Xã Tám', type: 'full' },
          ],
        },
      ],
    },
    {
      level1_id: '03',
      name: 'Tỉnh Gamma',
      merges: [
        { old_id: '02', name: 'Tỉnh Beta', type: 'full' },
        { old_id: '03', name: 'Tỉnh Gamma', type: 'full' },
      ],
      level2s: [
        {
          level2_id: '00013',
          name: 'Phường Mười Ba',
          merges: [
            { old_id: '00010', name: 'Phường Mười', type: 'full' },
            { old_id: '00013', name: 'Xã Mười Ba', type: 'partial' },
          ],
        },
        {
          level2_id: '00015',
          name: 'Xã Mười Lăm',
          merges: [
            { old_id: '00013', name: 'Xã Mười Ba', type: 'partial' },
            { old_id: '00015', name: 'Xã Mười Lăm', type: 'full' },
          ],
        },
        { level2_id: '00099', name: 'Đặc khu Bốn', merges: [{ old_id: '004', name: 'Thị xã Bốn', type: 'full' }] },
      ],
    },
  ],
};
