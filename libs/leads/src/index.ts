export * from './lead.entity';
export * from './lead-event.entity';
export * from './niche.entity';
export * from './leads.module';
export * from './leads.service';
export * from './niches.service';
export * from './leads.dto';
export * from './niches.dto';
