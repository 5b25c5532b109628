import { toSrt, toVtt } from './subtitles-format';

describe('subtitle files', () => {
  const cues = [
    { start: 0, end: 2.5, text: 'Bonjour' },
    { start: 3661.042, end: 3662, text: 'two\n\nlines --> here' },
  ];

  it('writes SRT: numbered cues, comma milliseconds', () => {
    expect(toSrt(cues)).toBe(
      '1\n00:00:00,000 --> 00:00:02,500\nBonjour\n\n2\n01:01:01,042 --> 01:01:02,000\ntwo\nlines -> here\n',
    );
  });

  it('writes WebVTT: header, dot milliseconds', () => {
    expect(toVtt(cues)).toBe(
      'WEBVTT\n\n00:00:00.000 --> 00:00:02.500\nBonjour\n\n01:01:01.042 --> 01:01:02.000\ntwo\nlines -> here\n',
    );
  });
});
