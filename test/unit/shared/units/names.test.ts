import { describe, expect, it } from 'vitest';
import { UnitDataError } from '../../../../shared/units/errors.js';
import { parseUnitName, slugify, sourceUnitType } from '../../../../shared/units/names.js';

describe('parseUnitName', () => {
  it('splits an official name into its ASCII form, slug and type', () => {
    // Act
    const parsed = parseUnitName('Phường Vĩnh Hưng', 3);

    // Assess
    expect(parsed).toEqual({
      name: 'Phường Vĩnh Hưng',
      nameAscii: 'Phuong Vinh Hung',
      slug: 'vinh-hung',
      type: 'ward',
    });
  });

  it('normalises a decomposed (NFD) name to NFC', () => {
    // Prepare
    const decomposed = 'Phường Vĩnh Hưng'.normalize('NFD');

    // Act
    const parsed = parseUnitName(decomposed, 3);

    // Assess
    expect(parsed.name).toBe('Phường Vĩnh Hưng'.normalize('NFC'));
    expect(parsed.name).not.toBe(decomposed);
  });

  it('rewrites a capitalised type prefix in its official spelling', () => {
    // Act
    const parsed = parseUnitName('Thị Trấn  Năm Căn', 3);

    // Assess
    expect(parsed.name).toBe('Thị trấn Năm Căn');
    expect(parsed.type).toBe('township');
  });

  it('reads the type from the prefix at each level', () => {
    // Act
    const types = [
      parseUnitName('Thành phố Hà Nội', 1).type,
      parseUnitName('Tỉnh Quảng Ninh', 1).type,
      parseUnitName('Thành phố Hạ Long', 2).type,
      parseUnitName('Thị xã Sơn Tây', 2).type,
      parseUnitName('Quận Hoàng Mai', 2).type,
      parseUnitName('Huyện Ba Vì', 2).type,
      parseUnitName('Xã Tứ Liên', 3).type,
      parseUnitName('Đặc khu Vân Đồn', 3).type,
    ];

    // Assess
    expect(types).toEqual([
      'municipality',
      'province',
      'provincial_city',
      'district_town',
      'urban_district',
      'district',
      'commune',
      'special_zone',
    ]);
  });

  it('folds đ to d', () => {
    // Act
    const parsed = parseUnitName('Phường Đống Đa', 3);

    // Assess
    expect(parsed.nameAscii).toBe('Phuong Dong Da');
    expect(parsed.slug).toBe('dong-da');
  });

  it('throws a UnitDataError for a name without a known prefix at its level', () => {
    // Act
    const parse = () => parseUnitName('Phường Vĩnh Hưng', 2);

    // Assess
    expect(parse).toThrow(UnitDataError);
  });
});

describe('sourceUnitType', () => {
  it('maps the list types, where "Thành phố" at level 2 is a provincial city', () => {
    // Act
    const types = [
      sourceUnitType('Thành phố Trung ương', 1),
      sourceUnitType('Thành phố', 2),
      sourceUnitType('Thị trấn', 3),
    ];

    // Assess
    expect(types).toEqual(['municipality', 'provincial_city', 'township']);
  });

  it('throws for a type that does not exist at the level', () => {
    // Act
    const map = () => sourceUnitType('Quận', 3);

    // Assess
    expect(map).toThrow(UnitDataError);
  });
});

describe('slugify', () => {
  it('keeps lower-case ASCII words joined by single hyphens', () => {
    // Act
    const slugs = [slugify("Ea H'Leo"), slugify('  Mường   Lát '), slugify('1')];

    // Assess
    expect(slugs).toEqual(['ea-h-leo', 'muong-lat', '1']);
  });
});
