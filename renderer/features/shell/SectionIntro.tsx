// The sections this version does not run yet: each says plainly what it will do and what to do now.
import type { ReactNode } from 'react';
import { ModelsIcon, OrdersIcon, PlaygroundIcon, PricingIcon } from '../../ui/icons';
import { useShell } from './store';

interface IntroProps {
  icon: ReactNode;
  heading: string;
  lead: string;
  points: string[];
  next: { text: string; label: string; go: 'assets' | 'models' } | null;
}

function Intro({ icon, heading, lead, points, next }: IntroProps) {
  const go = useShell((s) => s.go);
  return (
    <section className="empty-state card section-intro">
      <div className="empty-icon">{icon}</div>
      <h2>{heading}</h2>
      <p>{lead}</p>
      <ul>
        {points.map((point) => (
          <li key={point}>{point}</li>
        ))}
      </ul>
      {next ? (
        <div className="empty-actions">
          <button type="button" className="button" onClick={() => go(next.go)}>
            {next.label}
          </button>
          <span className="muted">{next.text}</span>
        </div>
      ) : null}
      <p className="empty-note">
        This section is not part of this version of Atelier Studio yet, so it is empty rather than filled with examples.
      </p>
    </section>
  );
}

export function ModelsIntro() {
  return (
    <Intro
      icon={<ModelsIcon />}
      heading="Your creation models"
      lead="A creation model learns one style from your own work and makes new pieces in it. It is trained here, on this computer, in seconds to minutes, and it belongs to you."
      points={[
        'One model covers one subcategory and one style: tattoo, illustration, children’s book, voice over or jingles.',
        'Make as many models as you like; up to 3 can be published on Atelier Market at once.',
        'Each model records exactly which assets it learned from, and keeps its versions so you can compare and roll back.',
        'Changing a model’s assets marks it for retraining.',
      ]}
      next={{ label: 'Go to Assets', text: 'A model starts from a set of 10 to 50 of your images.', go: 'assets' }}
    />
  );
}

export function PlaygroundIntro() {
  return (
    <Intro
      icon={<PlaygroundIcon />}
      heading="Try your model first"
      lead="The playground is where you generate with your own trained model before any client sees it."
      points={[
        'Generate new pieces, or redraw a photo or sketch in your style.',
        'See which of your training assets each result was built from.',
        'A model needs at least one playground result before it can be published.',
        'While you subscribe, your own generations carry no watermark.',
      ]}
      next={{ label: 'Go to Models', text: 'The playground works with a trained model.', go: 'models' }}
    />
  );
}

export function PricingIntro() {
  return (
    <Intro
      icon={<PricingIcon />}
      heading="Set what clients pay"
      lead="Pricing decides what a purchase from one of your models costs. Every price includes one edit."
      points={[
        'Per unit: for example one tattoo design plus one edit.',
        'Base plus increments: for example 30 seconds, then a price for every extra 10 seconds.',
        'Licence add-ons on top: a commercial licence, and for voice over, broadcast rights.',
        'Publishing a model needs the Atelier subscription ($25 a month).',
      ]}
      next={null}
    />
  );
}

export function OrdersIntro() {
  return (
    <Intro
      icon={<OrdersIcon />}
      heading="What clients buy from you"
      lead="Clients generate watermarked drafts from your published models on Atelier Market and buy the ones they like. Their orders arrive here."
      points={[
        'Each order shows the request, the delivery, and the one edit included in the price.',
        'After an instant purchase the client has 24 hours to ask for that edit; then the order is complete.',
        'In image categories clients ask for a custom offer instead, and you reply with your price.',
        'Nothing leaves this computer unless you publish a model.',
      ]}
      next={null}
    />
  );
}
