export * from './forum.module';
export * from './forum.service';
export * from './forum.dto';
export * from './forum.categories';
export { renderMarkdown } from './markdown';
