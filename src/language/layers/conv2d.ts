import { fixedRankConv } from './conv-family';

export default fixedRankConv(3);
