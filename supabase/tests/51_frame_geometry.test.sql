begin;
select plan(9);

select ok(private.frames_data_is_valid('[{"points": [[10,10],[200,20],[210,120],[5,110]]}]'),
  'a perspective quadrilateral is a valid frame');
select ok(private.frames_data_is_valid('[{"points": [[200,20],[5,110],[10,10],[210,120]]}]'),
  'point order is free: the same corners shuffled are still valid');
select ok(not private.frames_data_is_valid('[{"points": [[0,0],[10,0],[20,0],[30,0]]}]'),
  'collinear points are refused');
select ok(not private.frames_data_is_valid('[{"points": [[0,0],[0,0],[10,10],[0,10]]}]'),
  'a repeated point (degenerate frame) is refused');
select ok(not private.frames_data_is_valid('[{"points": [[0,0],[100,0],[50,100],[50,30]]}]'),
  'a point inside the triangle of the others (no quadrilateral) is refused');
select ok(not private.frames_data_is_valid('[{"points": [[0,0],[100,0],[50,100]]}]'),
  'three points are refused');
select ok(not private.frames_data_is_valid('[{"points": [[10,10],[200,20],[210,120],[5,110]]}, {"points": [[0,0],[5,5],[10,10],[20,20]]}]'),
  'one bad frame among good ones makes the whole list invalid');

insert into backlite_dubai.locations (location_key, display_name, display_type) values ('t51_board', 'T51 Board', 'static');
select throws_ok(
  $$insert into backlite_dubai.mockup_frames (location_id, photo_path, frames_data)
    select id, 'backlite_dubai/t51_board/outdoor/day/gold/T51Board_1.png', '[{"points": [[0,0],[10,0],[20,0],[30,0]]}]'
    from backlite_dubai.locations where location_key = 't51_board'$$,
  '23514', null, 'saving a degenerate frame is rejected by the table');
select is((select count(*)::int from backlite_dubai.mockup_frames f join backlite_dubai.locations l on l.id = f.location_id where l.location_key = 't51_board'),
  0, 'and nothing was written');

select * from finish();
rollback;
