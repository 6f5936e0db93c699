import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MASKS, maskPersonalData } from '../../../../shared/surveys/mask.js';

describe('maskPersonalData', () => {
  it.each([
    ['Gọi cho tôi: 0912 345 678 nhé', 'Gọi cho tôi: [số điện thoại đã ẩn] nhé'],
    ['SĐT 0912.345.678', 'SĐT [số điện thoại đã ẩn]'],
    ['SĐT 0912-345-678.', 'SĐT [số điện thoại đã ẩn].'],
    ['sđt:0987654321', 'sđt:[số điện thoại đã ẩn]'],
    ['Zalo 0368 123 456', 'Zalo [số điện thoại đã ẩn]'],
    ['+84 912 345 678', '[số điện thoại đã ẩn]'],
    ['+84912345678', '[số điện thoại đã ẩn]'],
    ['(+84) 912-345-678', '[số điện thoại đã ẩn]'],
    ['84 912 345 678', '[số điện thoại đã ẩn]'],
    ['+84 (0) 912 345 678', '[số điện thoại đã ẩn]'],
    ['số cũ 0168 123 4567', 'số cũ [số điện thoại đã ẩn]'],
    ['Máy bàn 024 3825 1234', 'Máy bàn [số điện thoại đã ẩn]'],
    ['(024) 3825 1234', '[số điện thoại đã ẩn]'],
    ['024.3825.1234', '[số điện thoại đã ẩn]'],
    ['+84 24 3825 1234', '[số điện thoại đã ẩn]'],
    ['Đà Nẵng 0236 3821 234', 'Đà Nẵng [số điện thoại đã ẩn]'],
    ['gọi 0912 345 678 hoặc 0987.654.321', 'gọi [số điện thoại đã ẩn] hoặc [số điện thoại đã ẩn]'],
    ['0912345678 0987654321', '[số điện thoại đã ẩn] [số điện thoại đã ẩn]'],
    // A small number beside a phone number is not part of it.
    ['0912345678 2 lần', '[số điện thoại đã ẩn] 2 lần'],
  ])('masks the phone number in %j', (input, expected) => {
    expect(maskPersonalData(input).text).toBe(expected);
  });

  it.each([
    ['CCCD 001203004567', 'CCCD [số giấy tờ đã ẩn]'],
    ['căn cước số 001 203 004 567', 'căn cước số [số giấy tờ đã ẩn]'],
    ['CCCD: 0012 0300 4567', 'CCCD: [số giấy tờ đã ẩn]'],
    ['CMND 123456789 cấp năm 2010', 'CMND [số giấy tờ đã ẩn] cấp năm 2010'],
    ['cmnd:013456789', 'cmnd:[số giấy tờ đã ẩn]'],
    ['CCCD 001.203.004.567.', 'CCCD [số giấy tờ đã ẩn].'],
    ['CCCD 001-203-004-567', 'CCCD [số giấy tờ đã ẩn]'],
    ['CCCD 0012.0300.4567', 'CCCD [số giấy tờ đã ẩn]'],
    ['CMND 123 456 789 cấp năm 2010', 'CMND [số giấy tờ đã ẩn] cấp năm 2010'],
    ['CMND 123.456.789', 'CMND [số giấy tờ đã ẩn]'],
  ])('masks the identity number in %j', (input, expected) => {
    expect(maskPersonalData(input).text).toBe(expected);
  });

  it.each([
    ['email nguyenvana@gmail.com', 'email [email đã ẩn]'],
    ['Liên hệ: Nguyễn.Văn.An@yahoo.com.vn.', 'Liên hệ: [email đã ẩn].'],
    ['thu.ha+ubnd@hanoi.gov.vn', '[email đã ẩn]'],
    ['nguyenvana (at) gmail (dot) com', '[email đã ẩn]'],
    ['nguyenvana[at]gmail[dot]com', '[email đã ẩn]'],
    ['a.b0912345678@gmail.com', '[email đã ẩn]'],
  ])('masks the e-mail address in %j', (input, expected) => {
    expect(maskPersonalData(input).text).toBe(expected);
  });

  it.each([
    'Phí 1.000.000 đồng, nộp lúc 08:30 ngày 12/05/2024.',
    'Năm 2024 tiếp nhận 3.417.296 hồ sơ, trễ hạn 9.618 (0,28%).',
    'Tiền 200.000.000 đồng',
    'Họ đòi 1.500.000.000đ mới làm',
    'Chi 150.000.000 VNĐ',
    'Khoảng 2.000.000 k',
    'Giá 10 000 000 đồng',
    'Số điện thoại hỏi đáp 1900 1234',
    'Phòng 305, tầng 3, số 12 phố Vĩnh Hưng',
    'Văn bản 385/KL-ĐKTCV ngày 20/5/2024',
    'Cán bộ rất nhiệt tình, hướng dẫn chu đáo. Cảm ơn!',
  ])('leaves ordinary text alone: %j', (input) => {
    expect(maskPersonalData(input).text).toBe(input);
  });

  it.each([
    ['Mã hồ sơ 000.00.15.H26-240512-0001 của người khác', 'Mã hồ sơ [mã hồ sơ đã ẩn] của người khác'],
    ['hồ sơ H26.99-20240512-000123 trễ hẹn', 'hồ sơ [mã hồ sơ đã ẩn] trễ hẹn'],
  ])('masks anyone’s dossier code in %j', (input, expected) => {
    expect(maskPersonalData(input).text).toBe(expected);
  });

  it.each([
    ['STK 19035123456789 Techcombank', 'STK [dãy số đã ẩn] Techcombank'],
    ['tài khoản 0011 0042 3456 7', 'tài khoản [dãy số đã ẩn]'],
    ['thẻ 4111-1111-1111-1111', 'thẻ [dãy số đã ẩn]'],
    ['số 1.000.000.000 hồ sơ', 'số [dãy số đã ẩn] hồ sơ'],
    // A longer number whose middle looks like a mobile number (found by the property below): masked whole, so no
    // part of it stays readable around a phone placeholder.
    ['thẻ 00 090 000 0000 0000 000', 'thẻ [dãy số đã ẩn]'],
    ['số 1234 0912 345 678', 'số [dãy số đã ẩn]'],
  ])('masks a long run of digits (an account) in %j', (input, expected) => {
    expect(maskPersonalData(input).text).toBe(expected);
  });

  it('leaves no run of 9 or more digits, however separated, unless it is an amount of money', () => {
    fc.assert(
      fc.property(
        fc.array(fc.stringMatching(/^\d{1,4}$/), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(' ', '.', '-', ''),
        (groups, separator) => {
          const number = groups.join(separator);
          const masked = maskPersonalData(`Số ${number} nhé`).text;
          const digits = (masked.match(/\d/g) ?? []).length;
          expect(digits).toBeLessThan(9);
        },
      ),
    );
  });

  it('counts what it masked, by kind', () => {
    // Prepare
    const text = 'Gọi 0912345678 hoặc mail a@b.vn, CCCD 001203004567, số 0987 654 321';
    // Act
    const result = maskPersonalData(text);
    // Assess
    expect(result.counts).toEqual({ email: 1, phone: 2, idNumber: 1, dossierCode: 0, digits: 0 });
  });

  it('counts a phone-shaped part of a longer number once, as the run of digits it belongs to', () => {
    expect(maskPersonalData('thẻ 00 090 000 0000 0000 000').counts).toEqual({
      email: 0,
      phone: 0,
      idNumber: 0,
      dossierCode: 0,
      digits: 1,
    });
  });

  it("hides the submitter's own dossier code, whatever its case", () => {
    const result = maskPersonalData('Hồ sơ h26-240512-0001 bị trễ', ['H26-240512-0001']);
    expect(result.text).toBe(`Hồ sơ ${MASKS.dossierCode} bị trễ`);
    expect(result.counts.dossierCode).toBe(1);
  });

  it('treats the dossier code literally, not as a pattern', () => {
    expect(maskPersonalData('A.B và AxB', ['A.B']).text).toBe(`${MASKS.dossierCode} và AxB`);
  });

  it('masks decomposed (NFD) text after normalizing it', () => {
    const nfd = 'Điện thoại 0912 345 678'.normalize('NFD');
    expect(maskPersonalData(nfd).text).toBe('Điện thoại [số điện thoại đã ẩn]'.normalize('NFC'));
  });
});

describe('maskPersonalData with any dossier code', () => {
  it('never throws and never leaves the code in the text', () => {
    const codeChar = fc.constantFrom(...'ABCĐXYZ0123456789.-/_'.split(''));
    fc.assert(
      fc.property(fc.string({ unit: codeChar, minLength: 4, maxLength: 64 }), fc.string(), (code, around) => {
        const result = maskPersonalData(`${around} ${code.toLowerCase()} ${around}`, [code]);
        expect(result.text.toUpperCase()).not.toContain(code.toUpperCase());
      }),
    );
  });
});
